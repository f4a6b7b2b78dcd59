package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * ServiceLB entities rebuilt while their Services are served: when a member leaves, its
 * ServiceActors and PoolActors start again on the other one; when every member restarts, all of
 * them do. Polled every 100 ms throughout, no served Service's ingress ever shrinks and no svclb
 * DaemonSet is rolled (its generation stays), and the resyncs (every 3 s here) repair nothing.
 */
class ServiceLbRebuildIT {
  private static final int SERVICES = 12;
  private static final List<String> ALL = List.of("172.30.0.2", "172.30.0.3", "172.30.0.4");
  private static final String RESYNC = "netsvc.resync-interval";

  @BeforeEach
  void fastResync() {
    System.setProperty(RESYNC, "3s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultResync() {
    System.clearProperty(RESYNC);
    ConfigFactory.invalidateCaches();
  }

  @Test
  void rebuiltEntitiesKeepEveryIngressAndDaemonSet() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "3", "--members", "2")) {
      for (int i = 0; i < SERVICES; i++) sim.create(SimHarness.lb("default", "s" + i, 2000 + i));
      for (int i = 0; i < SERVICES; i++) sim.awaitIngress("default", "s" + i, ALL);

      // the member without the singletons keeps ServiceLB's informers running all the same
      assertThat(sim.sim.openWatches(1))
          .containsKeys("services", "nodes", "pods", "endpointslices", "daemonsets");

      Map<String, Long> generations = generations(sim);
      assertThat(generations).hasSize(SERVICES);
      List<String> violations = new CopyOnWriteArrayList<>();
      ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
      try {
        poll.scheduleAtFixedRate(
            () -> check(sim, generations, violations), 0, 100, TimeUnit.MILLISECONDS);

        // a member leaves: its entities start again on the other one (they hosted some of the
        // Services, and the packaged traefik is a LoadBalancer Service too)
        long lbs =
            sim.client.services().inAnyNamespace().list().getItems().stream()
                .filter(s -> "LoadBalancer".equals(s.getSpec().getType()))
                .count();
        String survivor = sim.sim.members().get(0).member().managementUrl();
        assertThat(entities(survivor, "ServiceLbService")).isLessThan((int) lbs);
        sim.sim.members().get(1).close();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> entities(survivor, "ServiceLbService") == lbs);
        // two resyncs and their re-checks pass on the rebuilt entities
        await()
            .during(Duration.ofSeconds(8))
            .atMost(Duration.ofSeconds(12))
            .untilAsserted(() -> assertThat(violations).isEmpty());
        assertThat(metrics(survivor))
            .contains("netsvc_resync_repairs_total{kind=\"service\"} 0.0")
            .contains("netsvc_resync_repairs_total{kind=\"pool\"} 0.0");

        // every member restarts: all entities and the controller start again
        sim.sim.restartMembers(sim.sim.settings());
        await()
            .during(Duration.ofSeconds(8))
            .atMost(Duration.ofSeconds(12))
            .untilAsserted(() -> assertThat(violations).isEmpty());
        sim.create(SimHarness.lb("default", "after", 3000));
        sim.awaitIngress("default", "after", ALL);
        await()
            .during(Duration.ofSeconds(4))
            .atMost(Duration.ofSeconds(8))
            .untilAsserted(() -> assertThat(violations).isEmpty());
        for (var m : sim.sim.members()) {
          assertThat(metrics(m.member().managementUrl()))
              .contains("netsvc_resync_repairs_total{kind=\"service\"} 0.0")
              .contains("netsvc_resync_repairs_total{kind=\"pool\"} 0.0");
        }
      } finally {
        poll.shutdownNow();
      }
      assertThat(violations).isEmpty();
    }
  }

  /** A served Service whose ingress shrank, or a DaemonSet whose generation changed. */
  private static void check(SimHarness sim, Map<String, Long> generations, List<String> out) {
    try {
      for (Service s : sim.client.services().inNamespace("default").list().getItems()) {
        String name = s.getMetadata().getName();
        if (!name.matches("s\\d+")) continue;
        List<String> ips =
            s.getStatus() == null
                    || s.getStatus().getLoadBalancer() == null
                    || s.getStatus().getLoadBalancer().getIngress() == null
                ? List.of()
                : s.getStatus().getLoadBalancer().getIngress().stream()
                    .map(LoadBalancerIngress::getIp)
                    .toList();
        if (!ips.containsAll(ALL)) out.add(name + " advertised " + ips);
      }
      Map<String, Long> now = generations(sim);
      generations.forEach(
          (ds, gen) -> {
            if (!gen.equals(now.get(ds))) out.add(ds + " generation " + gen + " -> " + now.get(ds));
          });
    } catch (RuntimeException e) {
      // the API answers every poll in this test; a client hiccup is no violation
    }
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

  private static String metrics(String mgmt) throws Exception {
    return get(mgmt, "/metrics");
  }

  private static int entities(String mgmt, String type) throws Exception {
    Matcher m =
        Pattern.compile("\"numEntities\"\\s*:\\s*(\\d+)")
            .matcher(get(mgmt, "/cluster/shards/" + type));
    int n = 0;
    while (m.find()) n += Integer.parseInt(m.group(1));
    return n;
  }

  private static String get(String mgmt, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(mgmt.replaceAll("/$", "") + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
