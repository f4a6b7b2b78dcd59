package io.netsvc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A server process dies or leaves while Services are created and deleted and NetworkPolicies are
 * created, changed and deleted; three servers, the sim's agents, every member a separate JVM. After
 * each fault: a Service created afterwards gets ingress, a delete issued afterwards completes,
 * every invariant of {@link Invariants} and {@link PolicyInvariants} holds (each policy realised on
 * exactly the nodes it targets, no node holding a deleted one), and no Service whose svclb pods
 * stayed Ready lost ingress at any 100 ms poll during the fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemberFailureChaosIT {
  static final int NODES = 3;
  static final int SERVERS = 3;
  static final int STABLE = 10;

  /** Where each fault's policy churn runs: pods app=a|b|c, policies named after the case. */
  static final String POLICY_NS = "chaos-np";

  /** Bounds for convergence, far above the 10 s goal: this suite checks outcomes, not time. */
  static final Duration SETTLE = Duration.ofSeconds(45);

  ProcessCluster cluster;
  KubernetesClient api;
  final Set<String> stable = new LinkedHashSet<>();

  @BeforeAll
  void start() throws Exception {
    cluster = ProcessCluster.start("member-failure", NODES, SERVERS);
    api = cluster.client();
    stable.addAll(LbServices.createStable(cluster, STABLE, NODES));
  }

  @AfterAll
  void stop() {
    if (cluster != null) cluster.close();
  }

  /** Every case starts from three Up servers: the previous case's victim is back. */
  @BeforeEach
  void allServersUp() {
    cluster.allServersUp(Duration.ofSeconds(120));
  }

  @Test
  @Order(1)
  void killOfANonOldestServer() {
    ProcessCluster.Server victim = cluster.nonOldestController();
    fault("kill9-other", 9000, "kill -9 of non-oldest " + victim, c -> c.kill9(victim), 137);
  }

  @Test
  @Order(2)
  void killOfTheOldestServer() {
    ProcessCluster.Server victim = cluster.oldestController();
    fault("kill9-oldest", 9100, "kill -9 of the oldest " + victim, c -> c.kill9(victim), 137);
  }

  @Test
  @Order(3)
  void gracefulLeaveOfTheOldestServer() {
    ProcessCluster.Server victim = cluster.oldestController();
    fault("sigterm-oldest", 9200, "SIGTERM of the oldest " + victim, c -> c.sigterm(victim), 143);
  }

  /**
   * A server frozen (SIGSTOP) longer than the failure detector and stable-after is downed by the
   * others; when it resumes it learns that and its process exits with status 255, so a supervisor
   * restarts it, instead of living on as a member that does nothing. The others keep serving.
   */
  @Test
  @Order(4)
  void aFrozenServerIsDownedAndItsProcessExits() {
    ProcessCluster.Server victim = cluster.nonOldestController();
    assertThat(cluster.freezeUntilRemoved(victim))
        .as("exit status of %s after it was downed (log: %s)", victim, victim.proc.log())
        .isEqualTo(255);
    String svc = "frozen-after";
    api.services().resource(Burst.lb("default", svc, 9300)).create();
    await("ingress of " + svc + " created after " + victim + " was downed")
        .atMost(SETTLE)
        .until(() -> ingress(svc).size() == NODES);
  }

  /**
   * Runs {@code action} during a burst of Service creates and deletes and policy changes, then
   * checks everything a user would notice. {@code port}: the first of the case's 100 host ports.
   * {@code exitStatus}: what the victim's exit must be (128 + the signal).
   */
  private void fault(
      String id, int port, String what, ToIntFunction<ProcessCluster> action, int exitStatus) {
    String doomed = id + "-doomed";
    api.services().resource(Burst.lb("default", doomed, port)).create();
    await(doomed + " ingress").atMost(SETTLE).until(() -> ingress(doomed).size() == NODES);
    String after = id + "-after";
    try (IngressWatch watch = new IngressWatch(api, stable)) {
      try (Burst burst = new Burst(api, id + "-burst", port + 10);
          PolicyBurst policies = PolicyBurst.start(api, POLICY_NS, 6, id)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> burst.created() >= 5 && policies.steps() >= 3);
        assertThat(action.applyAsInt(cluster))
            .as("exit status after " + what)
            .isEqualTo(exitStatus);
        api.services().resource(Burst.lb("default", after, port + 1)).create();
        api.services().inNamespace("default").withName(doomed).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> burst.created() >= 15);
        assertThat(burst.errors()).as("API errors of the burst").isEmpty();
        assertThat(policies.errors()).as("API errors of the policy burst").isEmpty();
      }
      List<String> violations =
          Invariants.awaitHeld(
              SETTLE,
              () -> Invariants.all(api, cluster),
              () -> ingress(after).size() == NODES && service(doomed) == null);
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(ingress(after))
          .as("ingress of Service default/%s, created after the %s", after, what)
          .hasSize(NODES);
      soft.assertThat(describe(service(doomed)))
          .as("Service default/%s, deleted after the %s", doomed, what)
          .isEqualTo("gone");
      soft.assertThat(violations)
          .as("invariants %s after the %s (logs: %s)", SETTLE, what, cluster.logs())
          .isEmpty();
      soft.assertThat(watch.losses())
          .as(
              "Services that lost ingress while their svclb pods stayed Ready, during the %s"
                  + " (%d polls)",
              what, watch.polls())
          .isEmpty();
      soft.assertAll();
    }
  }

  /** "gone", or why a deleted Service is still there. */
  private static String describe(Service s) {
    if (s == null) return "gone";
    return "still exists: deletionTimestamp "
        + s.getMetadata().getDeletionTimestamp()
        + ", finalizers "
        + s.getMetadata().getFinalizers();
  }

  private Service service(String name) {
    return LbServices.get(api, name);
  }

  private List<String> ingress(String name) {
    return LbServices.ingress(api, name);
  }
}
