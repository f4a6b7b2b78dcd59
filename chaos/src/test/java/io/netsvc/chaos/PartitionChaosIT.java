package io.netsvc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jnr.posix.POSIXFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A network partition: the sim (API, nodes, agents) and three servers each in a network namespace
 * of their own ({@link PartitionNet}); during a burst of creates and deletes, packets between one
 * non-oldest server and every other member are dropped, while it still reaches the API. That is the
 * dangerous half of a partition: a minority that could still write. The majority downs it and keeps
 * serving; the minority downs itself, exits with status 255, and writes nothing to the API once the
 * majority has removed it (from then on the majority owns its shards). After the partition heals,
 * the restarted server rejoins. Needs root, iproute2 and iptables (as the other netns tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionChaosIT {
  static final int NODES = 3;
  static final int SERVERS = 3;
  static final int STABLE = 10;
  static final Duration SETTLE = Duration.ofSeconds(45);

  PartitionNet net;
  ProcessCluster cluster;
  KubernetesClient api;
  ProcessCluster.Server victim;
  final Set<String> stable = new LinkedHashSet<>();

  @BeforeAll
  void start() throws Exception {
    assumeTrue(POSIXFactory.getPOSIX().geteuid() == 0, "the partition test needs root");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
        "the partition test needs iproute2: run scripts/install-deps.sh");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/iptables"))
            || Files.isExecutable(Path.of("/sbin/iptables")),
        "the partition test needs iptables: run scripts/install-deps.sh");
    List<String> processes = new ArrayList<>(List.of(ProcessCluster.SIM));
    for (int i = 1; i <= SERVERS; i++) processes.add("server-" + i);
    net = new PartitionNet(processes);
    cluster = ProcessCluster.start("partition", NODES, SERVERS, net::place);
    api = cluster.client();
    stable.addAll(LbServices.createStable(cluster, STABLE, NODES));
  }

  @AfterAll
  void stop() {
    if (cluster != null) cluster.close();
    if (net != null) net.close();
  }

  @Test
  @Order(1)
  void theMinorityIsDownedExitsAndStopsWritingWhileTheMajorityServes() throws Exception {
    victim = cluster.nonOldestController();
    List<ProcessCluster.Server> majority =
        cluster.servers().stream().filter(s -> s != victim).toList();
    String doomed = "cut-doomed";
    String after = "cut-after";
    api.services().resource(Burst.lb("default", doomed, 9000)).create();
    await(doomed + " ingress").atMost(SETTLE).until(() -> ingress(doomed).size() == NODES);
    long cutAt;
    long removedAt;
    int exit;
    try (IngressWatch watch = new IngressWatch(api, stable)) {
      try (Burst burst = new Burst(api, "cut-burst", 9010)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> burst.created() >= 5);
        cutAt = System.currentTimeMillis();
        net.cut(victim.name(), cluster.apiUrl().getPort());
        // polled at 100 ms: the first poll after the majority removed the minority
        await(victim + " removed by " + majority + " (rules: " + net.rules() + ")")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    majority.stream()
                        .allMatch(s -> cluster.controllersUp(s).equals(Optional.of(SERVERS - 1))));
        removedAt = System.currentTimeMillis();
        api.services().resource(Burst.lb("default", after, 9001)).create();
        api.services().inNamespace("default").withName(doomed).delete();
        exit = victim.proc.waitFor(Duration.ofSeconds(60));
        // for the report, not asserted: how long each step took, and what the minority wrote
        System.out.printf(
            "partition of %s: removed by the majority after %d ms, exited (%d) after %d ms;"
                + " its API writes after the cut: %s%n",
            victim,
            removedAt - cutAt,
            exit,
            System.currentTimeMillis() - cutAt,
            ApiWrites.by(cluster.apiWrites(), victim.host(), cutAt));
        await().atMost(Duration.ofSeconds(20)).until(() -> burst.created() >= 15);
        assertThat(burst.errors()).as("API errors of the burst").isEmpty();
      }
      List<String> violations =
          Invariants.awaitHeld(
              SETTLE,
              () -> Invariants.violations(api),
              () -> ingress(after).size() == NODES && service(doomed) == null);
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(exit)
          .as("exit status of the minority %s (log: %s)", victim, victim.proc.log())
          .isEqualTo(255);
      soft.assertThat(ApiWrites.by(cluster.apiWrites(), victim.host(), removedAt))
          .as("API writes of the minority %s after the majority removed it", victim)
          .isEmpty();
      soft.assertThat(ingress(after))
          .as("ingress of default/%s, created during the partition", after)
          .hasSize(NODES);
      soft.assertThat(service(doomed))
          .as("default/%s, deleted during the partition", doomed)
          .isNull();
      soft.assertThat(violations)
          .as("invariants after the partition (logs: %s)", cluster.logs())
          .isEmpty();
      soft.assertThat(watch.losses())
          .as(
              "Services that lost ingress while their svclb pods stayed Ready (%d polls)",
              watch.polls())
          .isEmpty();
      soft.assertAll();
    }
  }

  @Test
  @Order(2)
  void afterTheHealTheRestartedServerRejoins() throws Exception {
    assumeTrue(victim != null, "needs the partition of the first case");
    net.heal();
    cluster.restart(victim);
    cluster.awaitControllersUp(SERVERS, Duration.ofSeconds(120));
    // the others see it Up first; the rejoined server learns that from their gossip
    await("members Up as the rejoined " + victim + " sees them")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> cluster.controllersUp(victim).orElse(0) == SERVERS);
    String svc = "healed-after";
    api.services().resource(Burst.lb("default", svc, 9300)).create();
    await("ingress of " + svc + " created after the heal")
        .atMost(SETTLE)
        .until(() -> ingress(svc).size() == NODES);
    await("invariants after the heal")
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Invariants.violations(api), List::isEmpty);
  }

  private Service service(String name) {
    return LbServices.get(api, name);
  }

  private List<String> ingress(String name) {
    return LbServices.ingress(api, name);
  }
}
