package io.netsvc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsvc.sim.api.SimApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Members trust only each other: {@code netsvc server} processes with certificates from the
 * cluster's CA form a cluster over mutually authenticated TLS (--tls-dir); a process with a
 * certificate from another CA, and one without TLS, try to join the same seed and never become
 * members. The certificates are made here with the openssl CLI (scripts/tls-certs); the servers
 * reach an embedded API in this JVM.
 */
class ArteryTlsIT {
  private static final Path SCRIPT =
      Path.of("..", "scripts", "tls-certs").toAbsolutePath().normalize();
  private final List<Proc> procs = new ArrayList<>();
  private SimApiServer api;

  @AfterEach
  void stop() {
    procs.forEach(Proc::killQuietly);
    if (api != null) api.close();
  }

  @Test
  void onlyMembersWithTheClustersCertificateJoin() throws Exception {
    Path dir = Path.of("target", "chaos", "artery-tls").toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    requireOpenssl();
    tlsCerts(dir, "ca", "ca-1");
    tlsCerts(dir, "ca", "ca-2");
    tlsCerts(dir, "member", "ca-1", "server-1");
    tlsCerts(dir, "member", "ca-1", "server-2");
    tlsCerts(dir, "member", "ca-2", "intruder");
    api = SimApiServer.start("127.0.0.1", 0);
    Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));

    int[] s1 = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    int[] s2 = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    int[] other = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    int[] plain = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    String seed = "127.0.0.1:" + s1[0];
    // all at once (the JVMs' start is most of the time); the outsiders retry their join
    Proc first = server(dir, "server-1", kubeconfig, s1, null, dir.resolve("server-1"));
    server(dir, "server-2", kubeconfig, s2, seed, dir.resolve("server-2"));
    Proc intruder = server(dir, "intruder", kubeconfig, other, seed, dir.resolve("intruder"));
    Proc noTls = server(dir, "no-tls", kubeconfig, plain, seed, null);
    await("server-1 and server-2 Up in server-1's view (logs: " + dir + ")")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> upPorts(s1[1]).equals(java.util.Set.of(s1[0], s2[0])));

    // each outsider fails another round of joining while the seed is Up, and the members go on
    // seeing only each other
    int intruderRounds = failedJoins(intruder);
    int noTlsRounds = failedJoins(noTls);
    await("both outsiders fail to join the running cluster (logs: " + dir + ")")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              // a member too busy to answer within 2 s is asked again at the next poll
              memberPorts(s1[1]).ifPresent(m -> assertThat(m).containsOnly(s1[0], s2[0]));
              memberPorts(s2[1]).ifPresent(m -> assertThat(m).containsOnly(s1[0], s2[0]));
              return failedJoins(intruder) > intruderRounds && failedJoins(noTls) > noTlsRounds;
            });
    assertThat(intruder.alive()).isTrue();
    assertThat(Files.readString(noTls.log())).contains(NO_TLS_WARNING);
    assertThat(Files.readString(first.log()))
        .contains("transport [Artery tls-tcp]")
        .doesNotContain(NO_TLS_WARNING);
    assertThat(Files.readString(intruder.log())).contains("SSLHandshakeException");
    assertThat(
            await("server-1's members")
                .atMost(Duration.ofSeconds(20))
                .until(() -> memberPorts(s1[1]), Optional::isPresent)
                .get())
        .containsOnly(s1[0], s2[0]);
  }

  private static final String NO_TLS_WARNING = "the cluster transport is plain TCP";

  private Proc server(Path dir, String name, Path kubeconfig, int[] ports, String seed, Path tls) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--bind-address",
                "127.0.0.1",
                "--kubeconfig",
                kubeconfig.toString(),
                "--cluster-port",
                String.valueOf(ports[0]),
                "--management-port",
                String.valueOf(ports[1]),
                "--data-dir",
                dir.resolve("data-" + name).toString()));
    if (seed != null) args.addAll(List.of("--seed", seed));
    if (tls != null) args.addAll(List.of("--tls-dir", tls.toString()));
    Proc p = Proc.start(dir.resolve(name + ".log"), "-Xmx256m", args);
    procs.add(p);
    return p;
  }

  /** Pekko's join process logs "Couldn't join seed nodes after [N] attempts" at each round. */
  private static int failedJoins(Proc p) throws IOException {
    return Files.readString(p.log()).split("Couldn't join seed nodes after", -1).length - 1;
  }

  /** The Artery ports of the members Up in the view of the member with this Management port. */
  private static java.util.Set<Integer> upPorts(int management) {
    return members(management).orElse(List.of()).stream()
        .filter(m -> "Up".equals(m.path("status").asText()))
        .map(ArteryTlsIT::port)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The Artery ports of every member, whatever its status (Joining, WeaklyUp, …). */
  private static Optional<List<Integer>> memberPorts(int management) {
    return members(management).map(m -> m.stream().map(ArteryTlsIT::port).toList());
  }

  /** The members in /cluster/members, empty if the member does not answer. */
  private static Optional<List<JsonNode>> members(int management) {
    return Management.get("127.0.0.1", management, "/cluster/members", Duration.ofSeconds(2))
        .filter(a -> a.code() == 200)
        .map(
            a -> {
              List<JsonNode> out = new ArrayList<>();
              a.body().path("members").forEach(out::add);
              return out;
            });
  }

  private static int port(JsonNode member) {
    String node = member.path("node").asText();
    return Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
  }

  private static void requireOpenssl() throws Exception {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("'openssl version' failed: this test needs the openssl CLI");
      }
    } catch (IOException e) {
      throw new AssertionError(
          "openssl not found: this test makes its certificates with the openssl CLI"
              + " (apt-get install openssl)",
          e);
    }
  }

  private static void tlsCerts(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), args[0]));
    for (int i = 1; i < args.length; i++) cmd.add(dir.resolve(args[i]).toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
