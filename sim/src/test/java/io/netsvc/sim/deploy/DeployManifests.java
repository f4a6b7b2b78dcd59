package io.netsvc.sim.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kustomize base in {@code deploy/}: where it is, its files parsed, and kubectl's rendering.
 */
public final class DeployManifests {
  private DeployManifests() {}

  /** {@code deploy/} of this checkout, found upwards from the working directory (a module's). */
  public static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/kustomization.yaml"))) return p.resolve("deploy");
    }
    throw new IllegalStateException(
        "no deploy/kustomization.yaml above " + Path.of("").toAbsolutePath());
  }

  /** The objects of one file of {@code deploy/}, typed by fabric8 (e.g. ClusterRole). */
  public static List<HasMetadata> file(String name) {
    try {
      return parse(Files.readString(dir().resolve(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a multi-document YAML stream, typed by fabric8; empty documents skipped. */
  public static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
      Object o = Serialization.unmarshal(doc);
      if (!(o instanceof HasMetadata h)) {
        throw new IllegalArgumentException(
            "not a Kubernetes object: " + doc.strip().lines().findFirst().orElse(""));
      }
      out.add(h);
    }
    return out;
  }

  /**
   * {@code kubectl kustomize deploy}'s output. Without kubectl on the PATH this fails with one line
   * saying so.
   */
  public static String render() throws IOException, InterruptedException {
    return kubectl("kustomize", dir().toString()).orElseThrow();
  }

  /**
   * Runs kubectl with {@code args}: its standard output when it exits 0, else a failed result with
   * its standard error. Fails the test with one line when kubectl is not installed.
   */
  public static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new AssertionError(
          "kubectl is not installed: the deploy/ tests need kubectl 1.22 or newer (built-in"
              + " kustomize v4.2+; Debian 12's kubernetes-client 1.20 is too old): "
              + e.getMessage());
    }
    p.getOutputStream().close();
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = readAll(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Result(String.join(" ", command), p.exitValue(), out, err.join());
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a kubectl run printed. */
  public record Result(String command, int exit, String out, String err) {
    /** Its output, or an AssertionError with kubectl's message. */
    public String orElseThrow() {
      if (exit != 0) throw new AssertionError(command + " failed (" + exit + "): " + err.strip());
      return out;
    }
  }
}
