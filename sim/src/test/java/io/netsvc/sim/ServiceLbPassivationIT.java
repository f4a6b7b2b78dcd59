package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle ServiceActors passivate (here after 1 s idle), and whatever reaches one next rebuilds it
 * from the member's caches: the Management summary shows the same grants and addresses, a change
 * and a deletion are carried out. Polled every 100 ms throughout, no served Service's ingress
 * shrinks, no untouched svclb DaemonSet is rolled and no Service gets an event from a rebuild.
 */
class ServiceLbPassivationIT {
  private static final List<String> ALL = List.of("172.30.0.2", "172.30.0.3", "172.30.0.4");
  private static final String IDLE = "netsvc.entity-idle-timeout";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeEach
  void shortIdle() {
    System.setProperty(IDLE, "1s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultIdle() {
    System.clearProperty(IDLE);
    ConfigFactory.invalidateCaches();
  }

  @Test
  void idleServiceActorsPassivateAndComeBackWithTheirState() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "3")) {
      for (int i = 0; i < 3; i++) sim.create(SimHarness.lb("default", "s" + i, 2000 + i));
      for (int i = 0; i < 3; i++) sim.awaitIngress("default", "s" + i, ALL);
      await().atMost(WAIT).until(() -> entities(sim) == 0);

      Map<String, Long> generations = new ConcurrentHashMap<>(generations(sim));
      assertThat(generations).hasSize(3);
      List<String> eventsBefore = sim.events("default", "s2");
      List<String> violations = new CopyOnWriteArrayList<>();
      List<String> served = new CopyOnWriteArrayList<>(List.of("s0", "s1", "s2"));
      ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
      try {
        poll.scheduleAtFixedRate(
            () -> check(sim, served, generations, violations), 0, 100, TimeUnit.MILLISECONDS);

        // the Management route asks every Service: each is rebuilt with its grants and addresses
        String summaries = sim.management("/servicelb/services").replaceAll("\\s", "");
        for (int i = 0; i < 3; i++) {
          assertThat(summary(summaries, "default/s" + i))
              .contains("\"grantedNodes\":[\"node-1\",\"node-2\",\"node-3\"]")
              .contains("\"advertised\":[\"172.30.0.2\",\"172.30.0.3\",\"172.30.0.4\"]");
        }
        assertThat(entities(sim)).isPositive();
        await().atMost(WAIT).until(() -> entities(sim) == 0);

        // a change reaches a passivated Service: rebuilt, it re-plans and applies the DaemonSet
        // (whose roll takes its svclb pods down one by one: its ingress is no longer watched)
        served.remove("s1");
        var s1 = sim.get("default", "s1");
        s1.getSpec()
            .getPorts()
            .add(new ServicePortBuilder().withName("p2101").withPort(2101).build());
        generations.remove(svclbOf(generations, "s1"));
        sim.client.services().resource(s1).update();
        await()
            .atMost(WAIT)
            .until(
                () ->
                    sim
                        .client
                        .apps()
                        .daemonSets()
                        .inNamespace("kube-system")
                        .list()
                        .getItems()
                        .stream()
                        .filter(d -> d.getMetadata().getName().startsWith("svclb-s1-"))
                        .anyMatch(d -> ports(d) == 2));
        sim.awaitIngress("default", "s1", ALL);

        // a deletion reaches a passivated Service: its DaemonSet and finalizer go
        await().atMost(WAIT).until(() -> entities(sim) == 0);
        served.remove("s0");
        generations.remove(svclbOf(generations, "s0"));
        sim.client.services().inNamespace("default").withName("s0").delete();
        await()
            .atMost(WAIT)
            .until(
                () ->
                    sim.get("default", "s0") == null
                        && generations(sim).keySet().stream()
                            .noneMatch(n -> n.startsWith("svclb-s0-")));

        await().atMost(WAIT).until(() -> entities(sim) == 0);
        assertThat(violations).isEmpty();
        assertThat(sim.events("default", "s2")).isEqualTo(eventsBefore);
        assertThat(sim.management("/metrics"))
            .contains("netsvc_resync_repairs_total{kind=\"service\"} 0.0");
      } finally {
        poll.shutdownNow();
      }
    }
  }

  /** A served Service whose ingress shrank, or a DaemonSet whose generation changed. */
  private static void check(
      SimHarness sim, List<String> served, Map<String, Long> generations, List<String> out) {
    try {
      for (String name : served) {
        List<String> ips = sim.ingress("default", name);
        if (!ips.containsAll(ALL)) out.add(name + " advertised " + ips);
      }
      Map<String, Long> now = generations(sim);
      Map.copyOf(generations)
          .forEach(
              (ds, gen) -> {
                Long current = now.get(ds);
                if (current != null && !gen.equals(current)) {
                  out.add(ds + " generation " + gen + " -> " + current);
                }
              });
    } catch (RuntimeException e) {
      // the API answers every poll in this test; a client hiccup is no violation
    }
  }

  private static String svclbOf(Map<String, Long> generations, String service) {
    return generations.keySet().stream()
        .filter(n -> n.startsWith("svclb-" + service + "-"))
        .findFirst()
        .orElseThrow();
  }

  private static int ports(DaemonSet d) {
    return d.getSpec().getTemplate().getSpec().getContainers().size();
  }

  private static Map<String, Long> generations(SimHarness sim) {
    Map<String, Long> out = new HashMap<>();
    for (DaemonSet d :
        sim.client.apps().daemonSets().inNamespace("kube-system").list().getItems()) {
      if (d.getMetadata().getName().startsWith("svclb-s")) {
        Long gen = d.getMetadata().getGeneration();
        out.put(d.getMetadata().getName(), gen == null ? 0L : gen);
      }
    }
    return out;
  }

  /** The JSON object of one Service in the Management list of summaries. */
  private static String summary(String summaries, String key) {
    Matcher m = Pattern.compile("\\{[^{}]*\"service\":\"" + key + "\"[^{}]*}").matcher(summaries);
    assertThat(m.find()).as(key + " in " + summaries).isTrue();
    return m.group();
  }

  /** The ServiceActors running, as the member's shard regions report them. */
  private static int entities(SimHarness sim) throws Exception {
    Matcher m =
        Pattern.compile("\"numEntities\"\\s*:\\s*(\\d+)")
            .matcher(sim.management("/cluster/shards/ServiceLbService"));
    int n = 0;
    while (m.find()) n += Integer.parseInt(m.group(1));
    return n;
  }
}
