package io.netsvc.chaos;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes API goes away for a while ({@code api down} on the sim's stdin) during a burst of
 * Service creates and deletes and NetworkPolicy changes, then comes back. The servers must ride it
 * out: no member downed or exited, {@code /ready} false while their informers cannot list and true
 * again after, no Service whose svclb pods stayed Ready losing ingress at any 100 ms poll, and
 * afterwards every invariant ({@link Invariants}, {@link PolicyInvariants}) holding, including for
 * the changes that were in flight when the API went away. The outage lasts 20 s here; {@code
 * -Dnetsvc.chaos.apiOutageSeconds=60} runs the full minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiOutageChaosIT {
  static final int NODES = 3;
  static final int SERVERS = 2;
  static final int STABLE = 6;
  static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("netsvc.chaos.apiOutageSeconds", 20));

  /** Bounds for convergence after the API is back, far above what it takes: outcomes, not time. */
  static final Duration SETTLE = Duration.ofSeconds(60);

  ProcessCluster cluster;
  KubernetesClient api;
  final Set<String> stable = new LinkedHashSet<>();

  @BeforeAll
  void start() throws Exception {
    cluster = ProcessCluster.start("api-outage", NODES, SERVERS);
    api = cluster.client();
    stable.addAll(LbServices.createStable(cluster, STABLE, NODES));
  }

  @AfterAll
  void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void anApiOutageDuringChurnDownsNobodyAndLosesNothing() {
    String doomed = "outage-doomed";
    String before = "outage-before";
    String after = "outage-after";
    api.services().resource(Burst.lb("default", doomed, 8200)).create();
    await(doomed + " ingress").atMost(SETTLE).until(() -> ingress(doomed).size() == NODES);
    Map<String, Integer> notReady = new TreeMap<>();
    List<String> died = new ArrayList<>();
    try (IngressWatch watch = new IngressWatch(api, stable)) {
      try (Burst burst = new Burst(api, "outage-burst", 9000);
          PolicyBurst policies = PolicyBurst.start(api, "outage-np", 6, "np")) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> burst.created() >= 5 && policies.steps() >= 5);
        // in flight when the API goes away: the servers have not finished handling these
        api.services().resource(Burst.lb("default", before, 8201)).create();
        api.services().inNamespace("default").withName(doomed).delete();
        long down = System.nanoTime();
        cluster.apiDown();
        try {
          await("every server's /ready false while the API is down")
              .atMost(OUTAGE)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    for (ProcessCluster.Server s : cluster.servers()) {
                      int code = ProcessCluster.ready(s);
                      if (code != 200) notReady.putIfAbsent(s.toString(), code);
                    }
                    return notReady.size() == SERVERS;
                  });
        } catch (ConditionTimeoutException e) {
          // reported below with what was seen
        }
        Duration left = OUTAGE.minusNanos(System.nanoTime() - down);
        if (!left.isNegative()) {
          // the rest of the outage: every process keeps running (a downed member would exit)
          try {
            await("every process running through the outage")
                .during(left)
                .atMost(left.plusSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> everyProcessAlive(died));
          } catch (ConditionTimeoutException e) {
            // reported below
          }
        }
        cluster.apiUp();
        api.services().resource(Burst.lb("default", after, 8202)).create();
        int stepsAtUp = policies.steps();
        int createdAtUp = burst.created();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> burst.created() >= createdAtUp + 5 && policies.steps() >= stepsAtUp + 5);
      }
      List<String> violations =
          Invariants.awaitHeld(
              SETTLE,
              () -> Invariants.all(api, cluster),
              () ->
                  ingress(after).size() == NODES
                      && ingress(before).size() == NODES
                      && service(doomed) == null
                      && cluster.servers().stream().allMatch(s -> ProcessCluster.ready(s) == 200));
      String what = "API outage of " + OUTAGE.toSeconds() + " s";
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(notReady)
          .as("servers whose /ready went false during the %s", what)
          .hasSize(SERVERS);
      soft.assertThat(died).as("processes that ended during the %s", what).isEmpty();
      everyProcessAlive(died);
      soft.assertThat(died).as("processes that ended after the %s", what).isEmpty();
      soft.assertThat(cluster.servers().stream().filter(s -> s.incarnation != 1).toList())
          .as("servers restarted")
          .isEmpty();
      soft.assertThat(cluster.membersUp())
          .as("members Up after the %s (the %d servers and the sim's agents)", what, SERVERS)
          .isEqualTo(SERVERS + 1);
      for (ProcessCluster.Server s : cluster.servers()) {
        soft.assertThat(ProcessCluster.ready(s))
            .as("/ready of %s after the %s", s, what)
            .isEqualTo(200);
      }
      soft.assertThat(ingress(before))
          .as("ingress of Service default/%s, created just before the %s", before, what)
          .hasSize(NODES);
      soft.assertThat(service(doomed) == null ? "gone" : "still exists")
          .as("Service default/%s, deleted just before the %s", doomed, what)
          .isEqualTo("gone");
      soft.assertThat(ingress(after))
          .as("ingress of Service default/%s, created after the %s", after, what)
          .hasSize(NODES);
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

  /** Whether the sim and every server still run; adds each that does not to {@code died}. */
  private boolean everyProcessAlive(List<String> died) {
    if (!cluster.sim().alive() && !died.contains("sim")) died.add("sim");
    for (ProcessCluster.Server s : cluster.servers()) {
      if (!s.proc.alive() && !died.contains(s.toString())) died.add(s.toString());
    }
    return died.isEmpty();
  }

  private Service service(String name) {
    return LbServices.get(api, name);
  }

  private List<String> ingress(String name) {
    return LbServices.ingress(api, name);
  }
}
