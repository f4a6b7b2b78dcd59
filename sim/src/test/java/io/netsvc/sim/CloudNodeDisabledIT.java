package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code --disable-cloud-controller}: nothing initializes nodes, ServiceLB still works. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudNodeDisabledIT {
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "2", "--disable-cloud-controller");
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private Node node(String name) {
    return sim.client.nodes().withName(name).get();
  }

  @Test
  void agentsRemoveTheAddressAnnotations() {
    sim.client
        .nodes()
        .withName("node-1")
        .edit(
            n -> {
              n.getMetadata()
                  .setAnnotations(
                      Map.of("k3s.io/internal-ip", "10.1.1.1", "k3s.io/hostname", "old", "x", "y"));
              return n;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !node("node-1").getMetadata().getAnnotations().containsKey("k3s.io/hostname"));
    assertThat(node("node-1").getMetadata().getAnnotations())
        .containsEntry("x", "y")
        .doesNotContainKey("k3s.io/internal-ip");
    assertThat(uninitialized(node("node-1"))).isTrue();
  }

  private boolean agentConnected(String node) throws Exception {
    return new ObjectMapper()
        .readTree(sim.management("/servicelb/nodes/" + node))
        .path("agentConnected")
        .asBoolean();
  }

  /** Nothing a cloud controller writes: no providerID, no instance-type label. */
  private static boolean uninitialized(Node n) {
    Map<String, String> labels = n.getMetadata().getLabels();
    return n.getSpec().getProviderID() == null
        && (labels == null || !labels.containsKey("node.kubernetes.io/instance-type"));
  }

  @Test
  void theAgentsNodesStayAsTheKubeletRegisteredThem() {
    // once both agents are connected, an enabled stub would initialize their Nodes at once
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agentConnected("node-1") && agentConnected("node-2"));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> uninitialized(node("node-1")) && uninitialized(node("node-2")));
    assertThat(sim.events("default", "node-1")).noneMatch(e -> e.contains("Synced"));
  }

  @Test
  void aTaintedNodeStaysTainted() {
    sim.client.nodes().resource(CloudNodeIT.bareNode("edge-7")).create();
    sim.client
        .nodes()
        .withName("edge-7")
        .edit(
            n -> {
              n.getMetadata().setAnnotations(Map.of("k3s.io/internal-ip", "10.7.0.7"));
              return n;
            });
    // with the stub on, these annotations would untaint the node within moments
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Node n = node("edge-7");
              return CloudNodeIT.tainted(n)
                  && CloudNodeIT.addresses(n).equals(List.of("Hostname=edge-7"))
                  && uninitialized(n);
            });
    sim.client.nodes().withName("edge-7").delete();
  }

  @Test
  void serviceLbUsesTheAddressesTheNodesHave() {
    sim.create(SimHarness.lb("default", "web", 8080));
    sim.awaitIngress("default", "web", List.of("172.30.0.2", "172.30.0.3"));
  }
}
