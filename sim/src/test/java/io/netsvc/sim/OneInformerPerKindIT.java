package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A member watches each kind once, however many of its features need it: ServiceLB, the
 * NetworkPolicy controller and the cloud-controller stub all read Pods or Nodes, and the API server
 * sees one watch per kind from the member (svclb DaemonSets too, which every controller member
 * caches for its rebuilt ServiceLB entities).
 */
class OneInformerPerKindIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void serviceLbNetpolAndTheCloudControllerShareTheMembersWatches() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2")) {
      for (String yaml :
          List.of(
              """
              apiVersion: v1
              kind: Namespace
              metadata: {name: x, labels: {kubernetes.io/metadata.name: x}}
              """,
              """
              apiVersion: v1
              kind: Pod
              metadata: {namespace: x, name: web-1, labels: {app: web}}
              spec: {containers: [{name: main, image: example/app}]}
              """,
              """
              apiVersion: networking.k8s.io/v1
              kind: NetworkPolicy
              metadata: {namespace: x, name: web-in}
              spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
              """)) {
        sim.client.resource(yaml).create();
      }
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
          List.of(
              "services",
              "endpointslices",
              "nodes",
              "pods",
              "namespaces",
              "networkpolicies",
              "daemonsets");
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
                  "networkpolicies", 1,
                  "daemonsets", 1));

      // the member is ready once its informers listed and watch; none had to be replaced
      await().atMost(WAIT).until(() -> sim.management("/ready").equals("OK"));
      assertThat(sim.management("/metrics"))
          .contains("netsvc_informer_restarts_total{kind=\"pods\"} 0.0");
    }
  }

  private static boolean nodeHostsComplete(SimHarness sim) {
    ConfigMap cm = sim.client.configMaps().inNamespace("kube-system").withName("coredns").get();
    String hosts = cm == null || cm.getData() == null ? null : cm.getData().get("NodeHosts");
    return hosts != null && hosts.contains("node-1") && hosts.contains("node-2");
  }
}
