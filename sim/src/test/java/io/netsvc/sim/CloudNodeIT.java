package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The cloud-controller stub: what a user sees on the Nodes of {@code netsvc sim}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudNodeIT {
  static final String UNINITIALIZED = "node.cloudprovider.kubernetes.io/uninitialized";
  static final String SCENARIO =
      String.join(
          "\n",
          "nodes:",
          "  - name: server-1",
          "    internalIP: [10.0.0.11, \"fd00::11\"]",
          "    externalIP: 203.0.113.11",
          "  - name: agent-1",
          "    internalIP: [10.0.0.21]",
          "");
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(SCENARIO);
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private Node node(String name) {
    return sim.client.nodes().withName(name).get();
  }

  static List<String> addresses(Node n) {
    return n.getStatus().getAddresses().stream()
        .map(a -> a.getType() + "=" + a.getAddress())
        .toList();
  }

  static boolean tainted(Node n) {
    List<Taint> taints = n.getSpec().getTaints();
    return taints != null && taints.stream().anyMatch(t -> t.getKey().equals(UNINITIALIZED));
  }

  @Test
  void nodesAreInitializedWithTheAgentsAddressesInK3sOrder() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !tainted(node("server-1")) && !tainted(node("agent-1")));
    Node server = node("server-1");
    assertThat(addresses(server))
        .containsExactly(
            "InternalIP=10.0.0.11",
            "InternalIP=fd00::11",
            "ExternalIP=203.0.113.11",
            "Hostname=server-1");
    assertThat(server.getSpec().getProviderID()).isEqualTo("k3s://server-1");
    assertThat(server.getMetadata().getLabels())
        .containsEntry("node.kubernetes.io/instance-type", "k3s")
        .containsEntry("beta.kubernetes.io/instance-type", "k3s");
    assertThat(server.getMetadata().getAnnotations())
        .containsEntry("k3s.io/internal-ip", "10.0.0.11,fd00::11")
        .containsEntry("k3s.io/external-ip", "203.0.113.11")
        .containsEntry("k3s.io/hostname", "server-1")
        .doesNotContainKey("k3s.io/internal-dns");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> sim.hasEvent("default", "server-1", "Normal Synced: Node synced successfully"));
  }

  @Test
  void aNodeWithoutAddressesStaysTaintedAndSaysWhy() throws Exception {
    sim.client.nodes().resource(bareNode("edge-9")).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.management("/servicelb/nodes/edge-9").contains("not yet set"));
    assertThat(tainted(node("edge-9"))).isTrue();
    assertThat(node("edge-9").getSpec().getProviderID()).isNull();

    // what an agent started with --node-ip would write
    sim.client
        .nodes()
        .withName("edge-9")
        .edit(
            n -> {
              n.getMetadata().setAnnotations(Map.of("k3s.io/internal-ip", "10.9.0.9"));
              return n;
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !tainted(node("edge-9")));
    // the kubelet's Hostname address is kept when the agent gave none, as upstream does
    assertThat(addresses(node("edge-9"))).containsExactly("InternalIP=10.9.0.9", "Hostname=edge-9");
    assertThat(sim.management("/servicelb/nodes/edge-9")).contains("synced");

    // an address change is followed
    sim.client
        .nodes()
        .withName("edge-9")
        .edit(
            n -> {
              n.getMetadata()
                  .setAnnotations(
                      Map.of("k3s.io/internal-ip", "10.9.0.10", "k3s.io/hostname", "edge9"));
              return n;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                addresses(node("edge-9"))
                    .equals(List.of("InternalIP=10.9.0.10", "Hostname=edge9")));
    sim.client.nodes().withName("edge-9").delete();
  }

  @Test
  void aServiceGetsTheAddressesTheCloudControllerWrote() {
    sim.create(SimHarness.lb("default", "web", 8080));
    // server-1 has an ExternalIP, so (as in K3s) only ExternalIPs are advertised
    sim.awaitIngress("default", "web", List.of("203.0.113.11"));
  }

  static Node bareNode(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewTaint()
        .withKey(UNINITIALIZED)
        .withValue("true")
        .withEffect("NoSchedule")
        .endTaint()
        .endSpec()
        .withNewStatus()
        .withAddresses(new NodeAddress(name, "Hostname"))
        .endStatus()
        .build();
  }
}
