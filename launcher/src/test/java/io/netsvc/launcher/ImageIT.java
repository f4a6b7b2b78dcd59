package io.netsvc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as a runtime would see it: the tarball {@code scripts/build-image} writes
 * (launcher's "image" profile runs this after Jib), unpacked layer by layer. Its entrypoint must
 * start {@code io.netsvc.launcher.Main} with a {@code java} found on the image's PATH, the agent's
 * iptables and ipset must be there, the name must be the one {@code deploy/} gives the pods, and
 * the image's own JRE must run netsvc on the image's own classpath.
 *
 * <p>Only the "image" profile sets {@code netsvc.image.tar}; there a missing tarball fails.
 */
@EnabledIfSystemProperty(named = "netsvc.image.tar", matches = ".+")
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path rootfs;
  static JsonNode manifest;
  static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    Path tar = Path.of(System.getProperty("netsvc.image.tar"));
    assertThat(tar).as("the image tarball (scripts/build-image)").isRegularFile();
    Path image = Files.createDirectories(dir.resolve("image"));
    run(dir, "tar", "-xf", tar.toAbsolutePath().toString(), "-C", image.toString());
    manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
    config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
    rootfs = Files.createDirectories(dir.resolve("rootfs"));
    // in order, as a runtime stacks them (no layer deletes anything here, so no whiteouts)
    for (JsonNode layer : manifest.get("Layers")) {
      run(
          dir,
          "tar",
          "--warning=no-unknown-keyword",
          "-xzf",
          image.resolve(layer.asText()).toString(),
          "-C",
          rootfs.toString());
    }
  }

  @Test
  void theTagIsTheImageTheManifestsRun() throws IOException {
    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory())
            .readTree(repo().resolve("deploy/kustomization.yaml").toFile());
    JsonNode netsvc = null;
    for (JsonNode image : kustomization.get("images")) {
      if (image.get("name").asText().equals("netsvc")) netsvc = image;
    }
    assertThat(netsvc).as("deploy/kustomization.yaml images: netsvc").isNotNull();
    String deployed = netsvc.path("newName").asText("netsvc") + ":" + netsvc.get("newTag").asText();
    assertThat(manifest.get("RepoTags").get(0).asText())
        .isEqualTo(deployed)
        .isEqualTo(System.getProperty("netsvc.image", deployed));
  }

  @Test
  void theEntrypointRunsTheLauncherWithTheImagesJava() {
    List<String> entrypoint = strings(config.at("/config/Entrypoint"));
    assertThat(entrypoint)
        .startsWith("java")
        .endsWith("-cp", "@/app/jib-classpath-file", Main.class.getName());
    Path java = onImagePath("java").orElseThrow(() -> new AssertionError("no java on PATH"));
    assertThat(java).isEqualTo(rootfs.resolve("opt/java/openjdk/bin/java"));
    assertThat(Files.isExecutable(java)).isTrue();
    // the ELF interpreter the JRE, iptables and ipset ask for
    assertThat(rootfs.resolve("lib64/ld-linux-x86-64.so.2")).exists();
  }

  @Test
  void theAgentsToolsAreOnThePath() throws IOException {
    for (String tool :
        List.of(
            "iptables",
            "iptables-save",
            "iptables-restore",
            "ip6tables",
            "ip6tables-save",
            "ip6tables-restore",
            "iptables-nft-restore",
            "iptables-legacy-restore",
            "ipset")) {
      Path found = onImagePath(tool).orElseThrow(() -> new AssertionError(tool + " not on PATH"));
      assertThat(Files.isExecutable(found)).as(tool).isTrue();
    }
    // the extensions netsvc's rules load: -m set, -m comment, -j REJECT
    try (var files = Files.walk(rootfs.resolve("usr/lib"))) {
      assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .contains("libxt_set.so", "libxt_comment.so", "libipt_REJECT.so", "libip6t_REJECT.so");
    }
  }

  /**
   * The image's JRE (jlink: only the modules the base lists) on the image's classpath starts an
   * agent: the actor system, Artery and Management HTTP come up. Without NetworkPolicy, so nothing
   * touches this machine's rules. This runs the image's java with this machine's ELF loader.
   */
  @Test
  void theImagesJavaStartsAnAgent() throws Exception {
    String cp =
        Files.readString(rootfs.resolve("app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
    String mapped =
        Arrays.stream(cp.split(":"))
            .map(p -> rootfs.resolve(p.substring(1)).toString())
            .collect(Collectors.joining(":"));
    List<String> entrypoint = strings(config.at("/config/Entrypoint"));
    List<String> cmd = new ArrayList<>();
    cmd.add(rootfs.resolve("opt/java/openjdk/bin/java").toString());
    cmd.addAll(entrypoint.subList(1, entrypoint.indexOf("-cp")));
    cmd.addAll(List.of("-cp", mapped, Main.class.getName()));
    cmd.addAll(AGENT_ARGS);
    awaitAgent(new ProcessBuilder(cmd), "host");
  }

  /**
   * The image as a runtime runs it: its own root (chroot, with /proc and /dev as a runtime mounts
   * them, in a private mount namespace), its own loader and libraries, the entrypoint exactly as
   * configured with {@code java} found on the image's PATH, as user 65532. Needs root for chroot
   * and mounts; elsewhere this one is skipped (the tests above still run).
   */
  @Test
  void theImageRunsInItsOwnRoot() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root (chroot, mount namespace)");
    List<String> inRoot = new ArrayList<>(List.of("iptables", "--version"));
    Process tools = chrooted(inRoot, "0:0").redirectErrorStream(true).start();
    String version = new String(tools.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tools.waitFor()).as(version).isZero();
    assertThat(version).matches("(?s)iptables v\\S+ \\((nf_tables|legacy)\\)\\s*");
    List<String> cmd = new ArrayList<>(strings(config.at("/config/Entrypoint")));
    cmd.addAll(AGENT_ARGS);
    String user = config.at("/config/User").asText();
    assertThat(user).isEqualTo("65532:65532");
    awaitAgent(chrooted(cmd, user), "chroot");
  }

  private static final List<String> AGENT_ARGS =
      List.of(
          "agent",
          "--node-name=n1",
          "--seed=127.0.0.1:1",
          "--disable-network-policy",
          "--cluster-port=0",
          "--management-port=0");

  /** {@code cmd} inside the unpacked image, with the image's PATH; the child dies with us. */
  private static ProcessBuilder chrooted(List<String> cmd, String user) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                "root=$0 user=$1; shift; mount --rbind /proc \"$root/proc\""
                    + " && mount --rbind /dev \"$root/dev\""
                    + " && exec chroot --userspec=\"$user\" \"$root\" \"$@\"",
                rootfs.toString(),
                user));
    all.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(all).directory(dir.toFile());
    pb.environment().clear();
    for (String env : strings(config.at("/config/Env"))) {
      int eq = env.indexOf('=');
      pb.environment().put(env.substring(0, eq), env.substring(eq + 1));
    }
    return pb;
  }

  private static void awaitAgent(ProcessBuilder pb, String name) throws Exception {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(out).contains("netsvc agent n1: management")) {
        assertThat(p.isAlive()).as("agent exited; stderr: %s", Files.readString(err)).isTrue();
        assertThat(System.nanoTime()).as("agent did not start").isLessThan(deadline);
        p.waitFor(200, TimeUnit.MILLISECONDS);
      }
    } finally {
      // the chrooted java changed its user, which clears unshare's parent-death signal
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
  }

  /** Where a name on the image's PATH leads inside the unpacked image, symlinks followed there. */
  private static Optional<Path> onImagePath(String name) {
    String path =
        strings(config.at("/config/Env")).stream()
            .filter(e -> e.startsWith("PATH="))
            .findFirst()
            .orElseThrow()
            .substring(5);
    for (String d : path.split(":")) {
      Path p = resolveInImage("/" + d.substring(1) + "/" + name, 0);
      if (p != null && Files.isRegularFile(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** Resolves an absolute image path component by component, as the kernel would under chroot. */
  private static Path resolveInImage(String absolute, int depth) {
    if (depth > 40) return null;
    Path at = rootfs;
    String[] parts = absolute.substring(1).split("/");
    for (int i = 0; i < parts.length; i++) {
      Path next = at.resolve(parts[i]);
      if (Files.isSymbolicLink(next)) {
        try {
          String target = Files.readSymbolicLink(next).toString();
          String base = "/" + rootfs.relativize(at).toString().replace('\\', '/');
          String resolved =
              target.startsWith("/") ? target : (base.equals("/") ? "/" : base + "/") + target;
          String rest = String.join("/", Arrays.copyOfRange(parts, i + 1, parts.length));
          return resolveInImage(
              Path.of(resolved + (rest.isEmpty() ? "" : "/" + rest)).normalize().toString(),
              depth + 1);
        } catch (IOException e) {
          return null;
        }
      }
      if (!Files.exists(next)) return null;
      at = next;
    }
    return at;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Path repo() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  }

  private static void run(Path cwd, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), output).isZero();
  }
}
