package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code netsvc sim --members 0}: the API and the simulated nodes only, for members started
 * elsewhere. The nodes wait for those members' cloud controller, as kubelets with {@code
 * --cloud-provider=external} do.
 */
class SimWithoutMembersIT {

  @Test
  void nodesWaitForACloudControllerAndNoMemberRuns() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2", "--members", "0")) {
      assertThat(sim.sim.members()).isEmpty();
      assertThat(sim.client.nodes().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .containsExactlyInAnyOrder("node-1", "node-2");
      for (Node n : sim.client.nodes().list().getItems()) {
        assertThat(n.getSpec().getTaints())
            .extracting(Taint::getKey)
            .contains("node.cloudprovider.kubernetes.io/uninitialized");
      }
      ByteArrayOutputStream banner = new ByteArrayOutputStream();
      sim.sim.printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8), 2);
      assertThat(banner.toString(StandardCharsets.UTF_8))
          .contains("with 2 simulated node(s)", "kubeconfig: ")
          .doesNotContain("management", "manifests");
    }
  }
}
