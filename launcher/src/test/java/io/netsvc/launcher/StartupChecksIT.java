package io.netsvc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code netsvc} command on a host that cannot do what was asked: one line on stderr and
 * exit 2, before it joins a cluster or touches a network namespace. Its PATH is an empty directory,
 * so iptables, ipset and ip are missing whatever this machine has installed.
 */
class StartupChecksIT {
  @TempDir Path dir;

  record Exit(int code, String stdout, String stderr) {}

  static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
    return start(
        dir,
        env,
        List.of("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener"),
        args);
  }

  /** As {@link #start(Path, Map, String...)} with {@code jvmOpts} instead of the quiet logback. */
  static Process start(Path dir, Map<String, String> env, List<String> jvmOpts, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(jvmOpts);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("KUBECONFIG");
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    pb.environment().remove("KUBERNETES_SERVICE_PORT");
    Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));
    pb.environment().put("PATH", emptyBin.toString());
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("stdout").toFile());
    pb.redirectError(dir.resolve("stderr").toFile());
    return pb.start();
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    return start(dir, env, args);
  }

  private Exit run(String... args) throws Exception {
    Process p = start(Map.of(), args);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("netsvc " + String.join(" ", args) + " kept running");
    }
    return new Exit(p.exitValue(), read("stdout"), read("stderr"));
  }

  private String read(String name) throws IOException {
    return read(dir, name);
  }

  static String read(Path dir, String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void anAgentWithoutIptablesExits2WithOneLine() throws Exception {
    Exit e =
        run(
            "agent",
            "--node-name",
            "n1",
            "--seed",
            "127.0.0.1:1",
            "--cluster-port",
            "0",
            "--management-port",
            "0");
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.stderr())
        .isEqualTo(
            "netsvc: agent cannot enforce NetworkPolicies: iptables, ipset not found in PATH;"
                + " install iptables and ipset (or start the agent with"
                + " --disable-network-policy)\n");
    assertThat(e.stdout()).doesNotContain("management");
  }

  @Test
  void anAgentThatDoesNotEnforcePoliciesNeedsNoTools() throws Exception {
    Process p =
        start(
            Map.of(),
            "agent",
            "--node-name",
            "n1",
            "--seed",
            "127.0.0.1:1",
            "--disable-network-policy",
            "--cluster-port",
            "0",
            "--management-port",
            "0");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!read("stdout").contains("netsvc agent n1: management")) {
        assertThat(p.isAlive()).as("agent exited; stderr: %s", read("stderr")).isTrue();
        assertThat(System.nanoTime()).as("agent did not start").isLessThan(deadline);
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aNetnsSimWithoutTheToolsExits2BeforeStarting() throws Exception {
    Exit e =
        run(
            "sim",
            "--dataplane=netns",
            "--kubeconfig-out",
            dir.resolve("kubeconfig").toString(),
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.stderr())
        .isEqualTo(
            "netsvc: --dataplane=netns: iptables, ipset, ip not found in PATH; install iptables"
                + " and ipset and iproute2\n");
    assertThat(dir.resolve("kubeconfig")).doesNotExist();
  }

  @Test
  void discoveryOutsideAPodAndAnAgentWithNoWayInExit2WithOneLine() throws Exception {
    Exit discovery =
        run(
            "agent",
            "--node-name",
            "n1",
            "--discovery",
            "kubernetes-api",
            "--bind-address",
            "127.0.0.1",
            "--cluster-port",
            "0",
            "--management-port",
            "0");
    assertThat(discovery.code()).isEqualTo(2);
    assertThat(discovery.stderr())
        .isEqualTo(
            "netsvc: agent --discovery kubernetes-api runs in a Kubernetes pod:"
                + " KUBERNETES_SERVICE_HOST is not set (outside Kubernetes, use --seed)\n");
    assertThat(discovery.stdout()).doesNotContain("management");

    Exit alone = run("agent", "--node-name", "n1", "--cluster-port", "0", "--management-port", "0");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.stderr())
        .isEqualTo(
            "netsvc: agent needs --seed host:port of a server member, or --discovery"
                + " kubernetes-api in a pod\n");
  }

  @Test
  void aServerOutsideAPodWithoutAKubeconfigExits2WithOneLine() throws Exception {
    Exit e = run("server", "--cluster-port", "0", "--management-port", "0");
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.stderr())
        .isEqualTo(
            "netsvc: server needs --kubeconfig (or KUBECONFIG), or to run in a pod with a"
                + " ServiceAccount (KUBERNETES_SERVICE_HOST is not set)\n");
  }
}
