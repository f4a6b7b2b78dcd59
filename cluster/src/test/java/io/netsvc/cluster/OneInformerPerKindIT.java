package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A member watches each kind once, however many of its features need it: ServiceLB, the
 * NetworkPolicy controller and the cloud-controller stub all read Pods or Nodes, and the API server
 * sees one watch per kind from the member.
 */
class OneInformerPerKindIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void serviceLbNetpolAndTheCloudControllerShareTheMembersWatches() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2")) {
      sim.client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("x")
                  .addToLabels("kubernetes.io/metadata.name", "x")
                  .endMetadata()
                  .build())
          .create();
      sim.client
          .pods()
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withNamespace("x")
                  .withName("web-1")
                  .addToLabels("app", "web")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("main")
                  .withImage("example/app")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      sim.client
          .network()
          .v1()
          .networkPolicies()
          .resource(
              new NetworkPolicyBuilder()
                  .withNewMetadata()
                  .withNamespace("x")
                  .withName("web-in")
                  .endMetadata()
                  .withNewSpec()
                  .withNewPodSelector()
                  .addToMatchLabels("app", "web")
                  .endPodSelector()
                  .withPolicyTypes("Ingress")
                  .endSpec()
                  .build())
          .create();
      sim.create(SimHarness.lb("default", "web", 8080));

      // each feature has synced its watch: ServiceLB serves, NodeHosts lists the nodes, the
      // policy found its pod
      await()
          .atMost(WAIT)
          .until(() -> sim.ingress("default", "web").size() == 2 && nodeHostsComplete(sim));
      ObjectMapper json = new ObjectMapper();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  json.readTree(sim.management("/netpol/policies/x/web-in"))
                      .path("targets")
                      .toString()
                      .contains("x/web-1"));

      List<String> kinds =
          List.of("services", "endpointslices", "nodes", "pods", "namespaces", "networkpolicies");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(sim.sim.openWatches(0)).containsKeys(kinds.toArray(String[]::new)));
      assertThat(sim.sim.openWatches(0))
          .isEqualTo(
              Map.of(
                  "services", 1,
                  "endpointslices", 1,
                  "nodes", 1,
                  "pods", 1,
                  "namespaces", 1,
                  "networkpolicies", 1));
    }
  }

  private static boolean nodeHostsComplete(SimHarness sim) {
    ConfigMap cm = sim.client.configMaps().inNamespace("kube-system").withName("coredns").get();
    String hosts = cm == null || cm.getData() == null ? null : cm.getData().get("NodeHosts");
    return hosts != null && hosts.contains("node-1") && hosts.contains("node-2");
  }
}
