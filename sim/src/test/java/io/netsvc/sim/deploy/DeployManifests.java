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

/** The Kustomize base in {@code deploy/}: where it is, its files parsed, and kubectl's rendering. */
public final class DeployManifests {
  private DeployManifests() {}

  /** {@code deploy/} of this checkout, found upwards from the working directory (a module's). */
  public static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/kustomization.yaml"))) return p.resolve("deploy");
    }
    throw new IllegalStateException("no deploy/kustomization.yaml above " + Path.of("").toAbsolutePath());
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
        throw new IllegalArgumentException("not a Kubernetes object: " + doc.strip().lines().findFirst().orElse(""));
      }
      out.add(h);
    }
    return out;
  }

  /**
   * {@code kubectl kustomize deploy}'s output. Without kubectl on the PATH this fails with one line
   * saying so (scripts/install-deps.sh installs it where the distribution has it).
   */
  public static String render() throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", dir().toString())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "kubectl is not installed (needed to render deploy/): " + e.getMessage());
    }
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl kustomize deploy did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("kubectl kustomize deploy failed: " + err.strip());
    }
    return new String(out);
  }
}
