package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    assertThat(node("node-1").getSpec().getProviderID()).isNull();
  }

  @Test
  void aTaintedNodeStaysTainted() throws Exception {
    sim.client.nodes().resource(CloudNodeIT.bareNode("edge-7")).create();
    sim.client
        .nodes()
        .withName("edge-7")
        .edit(
            n -> {
              n.getMetadata().setAnnotations(Map.of("k3s.io/internal-ip", "10.7.0.7"));
              return n;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.management("/servicelb/nodes/edge-7").contains("disabled"));
    assertThat(CloudNodeIT.tainted(node("edge-7"))).isTrue();
    assertThat(CloudNodeIT.addresses(node("edge-7"))).containsExactly("Hostname=edge-7");
    sim.client.nodes().withName("edge-7").delete();
  }

  @Test
  void serviceLbUsesTheAddressesTheNodesHave() {
    sim.create(SimHarness.lb("default", "web", 8080));
    sim.awaitIngress("default", "web", List.of("172.30.0.2", "172.30.0.3"));
  }
}
