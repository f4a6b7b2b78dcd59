package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every member restarts (so every NetworkPolicy, Namespace and Node entity and every agent is
 * rebuilt) while the simulated nodes' kernels keep their rules, as real nodes do. Throughout, no
 * node's kernel loses a policy that still exists; afterwards a deletion and a change reach the
 * nodes, and the level-triggered resync finds nothing to repair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetpolRebuildIT {
  static final String RESYNC = "netsvc.netpol-resync-interval";
  static final List<String> NODES = List.of("node-1", "node-2");
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    // rounds short enough that a few of them run within the test
    System.setProperty(RESYNC, "2s");
    ConfigFactory.invalidateCaches();
    sim = SimHarness.start(null, "--nodes", "2", "--members", "2");
    sim.client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("rb")
                .addToLabels("kubernetes.io/metadata.name", "rb")
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  void stop() {
    if (sim != null) sim.close();
    System.clearProperty(RESYNC);
    ConfigFactory.invalidateCaches();
  }

  private Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("rb")
        .withName(name)
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("main")
        .withImage("example/app")
        .endContainer()
        .endSpec()
        .build();
  }

  private static NetworkPolicy policy(String name, String cidr) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withNamespace("rb")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels("app", "web")
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewIpBlock()
        .withCidr(cidr)
        .endIpBlock()
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }

  /** What the node's kernel holds (each policy here is recognisable by its ipBlock). */
  private String kernel(String node) {
    InMemoryBackend k = sim.sim.kernel(node);
    return k == null ? "" : k.saveFilterTable(IpFamily.IPV4) + k.saveSets();
  }

  private boolean everyNodeHolds(String cidr) {
    return NODES.stream().allMatch(n -> kernel(n).contains(cidr));
  }

  private boolean noNodeHolds(String cidr) {
    return NODES.stream().noneMatch(n -> kernel(n).contains(cidr));
  }

  private static final Pattern REPAIRS =
      Pattern.compile("netsvc_resync_repairs_total\\{kind=\"networkpolicy\"[^}]*} ([0-9.]+)");

  /** The resync repairs of every member, summed (each member counts its own). */
  private double repairs() throws Exception {
    double sum = 0;
    for (var m : sim.sim.members()) {
      String base = m.member().managementUrl().replaceAll("/$", "");
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher r = REPAIRS.matcher(metrics);
      assertThat(r.find()).as("the repairs counter is in /metrics").isTrue();
      sum += Double.parseDouble(r.group(1));
    }
    return sum;
  }

  @Test
  void policiesSurviveEveryMemberRestartingAndDeletesAndChangesReachTheNodesAfterwards()
      throws Exception {
    sim.client.pods().resource(pod("web-1", "node-1")).create();
    sim.client.pods().resource(pod("web-2", "node-2")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sim.client.pods().inNamespace("rb").list().getItems().stream()
                        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
                        .count()
                    == 2);
    var policies = sim.client.network().v1().networkPolicies();
    policies.resource(policy("goes", "10.11.0.0/16")).create();
    policies.resource(policy("stays", "10.22.0.0/16")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> everyNodeHolds("10.11.0.0/16") && everyNodeHolds("10.22.0.0/16"));

    // watch the kernels every 20 ms: a policy that exists must never leave a node
    Map<String, List<String>> mustHold = new ConcurrentHashMap<>();
    mustHold.put("goes", List.of("10.11.0.0/16"));
    mustHold.put("stays", List.of("10.22.0.0/16", "10.33.0.0/16"));
    List<String> lost = new CopyOnWriteArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleAtFixedRate(
        () -> {
          for (String node : NODES) {
            String k = kernel(node);
            mustHold.forEach(
                (name, cidrs) -> {
                  if (cidrs.stream().noneMatch(k::contains)) lost.add(name + " on " + node);
                });
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
    try {
      sim.sim.restartMembers(sim.sim.settings());

      // deleted after the rebuild: it leaves every node
      mustHold.remove("goes");
      policies.inNamespace("rb").withName("goes").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> noNodeHolds("10.11.0.0/16"));

      // changed after the rebuild: the change reaches every node
      policies.resource(policy("stays", "10.33.0.0/16")).update();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> everyNodeHolds("10.33.0.0/16") && noNodeHolds("10.22.0.0/16"));
    } finally {
      watcher.shutdownNow();
      watcher.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(lost).as("moments a node's kernel lacked a policy that exists").isEmpty();

    // in normal operation the resync finds nothing to repair, round after round
    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(15))
        .until(() -> repairs() == 0.0);
  }
}
