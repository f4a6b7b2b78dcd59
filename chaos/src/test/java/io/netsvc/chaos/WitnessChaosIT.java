package io.netsvc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Kubernetes API as an outside witness (docs/failover.md), with the harness as the servers'
 * kubelet ({@link KubeletPods}): three servers and the sim as separate JVMs, each server with a Pod
 * in the sim's API. A server killed with {@code kill -9} is downed by the others' pod witness as
 * soon as its pod reports the container terminated, and the cluster serves a Service created after
 * the kill. A server that merely stalls (SIGSTOP) keeps its pod running: the witness never downs
 * it, the failure detector and the split-brain resolver do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessChaosIT {
  static final int NODES = 3;
  static final int SERVERS = 3;

  /** Bounds for convergence: this suite checks outcomes, not time. */
  static final Duration SETTLE = Duration.ofSeconds(45);

  ProcessCluster cluster;
  KubernetesClient api;

  @BeforeAll
  void start() throws Exception {
    cluster = ProcessCluster.startWithPods("witness", NODES, SERVERS);
    api = cluster.client();
  }

  @AfterAll
  void stop() {
    if (cluster != null) cluster.close();
  }

  @BeforeEach
  void allServersUp() {
    cluster.allServersUp(Duration.ofSeconds(120));
  }

  @Test
  @Order(1)
  void aStalledServerWhosePodRunsIsNotDownedByTheWitness() {
    ProcessCluster.Server victim = cluster.nonOldestController();
    assertThat(cluster.freezeUntilRemoved(victim))
        .as("exit status of %s after it was downed (log: %s)", victim, victim.proc.log())
        .isEqualTo(255);
    assertThat(witnessDownsOf(victim))
        .as(
            "witness downs of %s, whose pod stayed running (%s)",
            victim, cluster.pods().pod(victim))
        .isEmpty();
    assertThat(downsTotal()).as("netsvc_witness_downs_total of the survivors").isZero();
  }

  @Test
  @Order(2)
  void aKilledServerIsDownedByTheWitnessAndTheOthersServe() {
    ProcessCluster.Server victim = cluster.oldestController();
    assertThat(cluster.kill9(victim)).as("exit status of kill -9").isEqualTo(137);
    String after = "witness-after";
    api.services().resource(Burst.lb("default", after, 9400)).create();
    await(victim + " removed by the others (logs: " + cluster.logs() + ")")
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> cluster.controllersUp() == SERVERS - 1);
    await("ingress of " + after + " created after the kill of " + victim)
        .atMost(SETTLE)
        .until(() -> LbServices.ingress(api, after).size() == NODES);
    assertThat(witnessDownsOf(victim))
        .as("a survivor's witness downed %s (logs: %s)", victim, cluster.logs())
        .isNotEmpty()
        .allMatch(
            l ->
                l.contains(
                    "its pod "
                        + KubeletPods.NAMESPACE
                        + "/"
                        + victim.name()
                        + " says it is dead (container terminated: Error (exit code 137))"));
    assertThat(downsTotal()).as("netsvc_witness_downs_total of the survivors").isPositive();
    // the witness also quarantined it, so the leader removed it without waiting for the failure
    // detector (Pekko logs that line when it marks a member terminated)
    assertThat(
            survivorLines(
                victim, "Marking node as TERMINATED [pekko://netsvc@" + victim.address() + "]"))
        .as("%s marked terminated by a survivor (logs: %s)", victim, cluster.logs())
        .isNotEmpty();
  }

  /** The survivors' log lines in which their witness downed {@code victim}. */
  private List<String> witnessDownsOf(ProcessCluster.Server victim) {
    return survivorLines(victim, "downing pekko://netsvc@" + victim.address() + " at once");
  }

  /** The survivors' log lines that contain {@code text}. */
  private List<String> survivorLines(ProcessCluster.Server victim, String text) {
    return cluster.alive().stream()
        .filter(s -> s != victim)
        .flatMap(s -> lines(s).stream())
        .filter(l -> l.contains(text))
        .toList();
  }

  private static List<String> lines(ProcessCluster.Server s) {
    try {
      return Files.readAllLines(s.proc.log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sum of {@code netsvc_witness_downs_total} over the running servers' /metrics. */
  private double downsTotal() {
    double sum = 0;
    for (ProcessCluster.Server s : cluster.alive()) {
      String text =
          Management.get(s.host(), s.managementPort, "/metrics", Duration.ofSeconds(5))
              .filter(a -> a.code() == 200)
              .map(Management.Answer::text)
              .orElseThrow(() -> new AssertionError("no /metrics from " + s));
      List<String> series =
          text.lines().filter(l -> l.startsWith("netsvc_witness_downs_total")).toList();
      assertThat(series).as("netsvc_witness_downs_total of %s", s).hasSize(1);
      sum += Double.parseDouble(series.get(0).substring(series.get(0).lastIndexOf(' ') + 1));
    }
    return sum;
  }
}
