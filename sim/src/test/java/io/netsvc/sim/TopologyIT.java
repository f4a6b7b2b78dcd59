package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Dual-stack ordering, ETP Local, allow-list mode and pools on three dual-stack nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIT {
  static final String SCENARIO =
      """
      nodes:
        - {name: a, internalIP: [10.0.0.3, "fd00::3"]}
        - {name: b, internalIP: [10.0.0.10, "fd00::a"]}
        - {name: c, internalIP: [10.0.0.9, "fd00::9"]}
      """;
  static final List<String> V4 = List.of("10.0.0.10", "10.0.0.3", "10.0.0.9");
  static final String ENABLE = "svccontroller.k3s.cattle.io/enablelb";
  static final String POOL = "svccontroller.k3s.cattle.io/lbpool";
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(SCENARIO);
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  @Test
  @Order(1)
  void dualStackFollowsIpFamiliesOrderWithStringSortedAddresses() {
    Service s = SimHarness.lb("default", "dual", 1001);
    s.getSpec().setIpFamilies(List.of("IPv6", "IPv4"));
    s.getSpec().setIpFamilyPolicy("RequireDualStack");
    sim.create(s);
    sim.awaitIngress(
        "default",
        "dual",
        List.of("fd00::3", "fd00::9", "fd00::a", "10.0.0.10", "10.0.0.3", "10.0.0.9"));
    sim.create(SimHarness.lb("default", "single", 1002));
    sim.awaitIngress("default", "single", V4);
  }

  @Test
  @Order(2)
  void externalTrafficPolicyLocalAdvertisesOnlyEndpointNodes() {
    Service s = SimHarness.lb("default", "local", 1003);
    s.getSpec().setExternalTrafficPolicy("Local");
    sim.create(s);
    sim.client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("local-backend")
                .addToLabels("app", "local")
                .endMetadata()
                .withNewSpec()
                .withNodeName("b")
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build())
        .create();
    sim.awaitIngress("default", "local", List.of("10.0.0.10"));
    var ds =
        sim.client.apps().daemonSets().inNamespace("kube-system").list().getItems().stream()
            .filter(d -> d.getMetadata().getName().startsWith("svclb-local-"))
            .findFirst()
            .orElseThrow();
    var env = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .anyMatch(
            e ->
                e.getName().equals("DEST_IPS")
                    && e.getValueFrom() != null
                    && "status.hostIPs".equals(e.getValueFrom().getFieldRef().getFieldPath()));
  }

  @Test
  @Order(3)
  void allowListModeAndPoolsAreFollowedBothWays() {
    sim.create(SimHarness.lb("default", "everywhere", 1004));
    sim.awaitIngress("default", "everywhere", V4);
    label("c", ENABLE, "true");
    sim.awaitIngress("default", "everywhere", List.of("10.0.0.9"));
    // the status follows the ledger at once; the DaemonSet update may land a moment later
    await()
        .untilAsserted(
            () -> {
              var ds =
                  sim
                      .client
                      .apps()
                      .daemonSets()
                      .inNamespace("kube-system")
                      .list()
                      .getItems()
                      .stream()
                      .filter(d -> d.getMetadata().getName().startsWith("svclb-everywhere-"))
                      .findFirst()
                      .orElseThrow();
              assertThat(ds.getSpec().getTemplate().getSpec().getNodeSelector())
                  .containsEntry(ENABLE, "true");
              assertThat(ds.getMetadata().getLabels())
                  .containsEntry("svccontroller.k3s.cattle.io/nodeselector", "true");
            });

    label("a", ENABLE, "true");
    label("a", POOL, "edge");
    Service pooled = SimHarness.lb("default", "pooled", 1005);
    pooled.getMetadata().setLabels(java.util.Map.of(POOL, "edge"));
    sim.create(pooled);
    sim.awaitIngress("default", "pooled", List.of("10.0.0.3"));
    // Unlike K3s, a change of the Service's own lbpool label is followed.
    sim.client
        .services()
        .inNamespace("default")
        .withName("pooled")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + POOL + "\":\"core\"}}}");
    label("c", POOL, "core");
    sim.awaitIngress("default", "pooled", List.of("10.0.0.9"));

    // Unlike K3s, removing the last enablelb label switches back to all nodes.
    unlabel("a", ENABLE);
    unlabel("c", ENABLE);
    sim.awaitIngress("default", "everywhere", V4);
    await().until(() -> sim.ingress("default", "pooled").equals(V4));
  }

  private void label(String node, String key, String value) {
    sim.client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(key, value);
              return n;
            });
  }

  private void unlabel(String node, String key) {
    sim.client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getMetadata().getLabels().remove(key);
              return n;
            });
  }
}
