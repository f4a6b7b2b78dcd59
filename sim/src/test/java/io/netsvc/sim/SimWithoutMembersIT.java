package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.netsvc.cluster.Runners;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code netsvc sim --members 0}: the API, the simulated nodes and one member with the node role
 * only, hosting their agents, for {@code netsvc server} members started elsewhere. Until a server
 * joins, the nodes wait for its cloud controller, as kubelets with {@code
 * --cloud-provider=external} do.
 */
class SimWithoutMembersIT {

  @Test
  void nodesWaitForACloudControllerAndNoControllerRuns() throws Exception {
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
          .contains("with 2 simulated node(s)", "kubeconfig: ", "seed: " + sim.sim.seed().get())
          .doesNotContain("management:", "manifests:");
    }
  }

  /**
   * A server that joins the printed seed runs the controllers; the sim's agents serve the nodes.
   */
  @Test
  void aServerJoiningTheSeedServesTheSimulatedNodes() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2", "--members", "0")) {
      String[] args = {
        "server",
        "--kubeconfig",
        sim.sim.kubeconfig().toString(),
        "--seed",
        sim.sim.seed().orElseThrow(),
        "--cluster-port",
        "0",
        "--management-port",
        "0",
        // the sim's one agent member speaks for every simulated node
        "--agent-check",
        "off"
      };
      var settings = ((ParseResult.Run) Cli.parse(args, Map.of())).settings();
      try (AutoCloseable server =
          Runners.server(settings, new PrintStream(new ByteArrayOutputStream()))) {
        // the uninitialised taint goes once the server's cloud-controller stub has the
        // addresses the node's agent (in the sim's member) asked for: agents and server meet
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    sim.client.nodes().list().getItems().stream()
                        .allMatch(SimWithoutMembersIT::initialised));
        sim.create(SimHarness.lb("default", "web", 8080));
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> sim.ingress("default", "web").size() == 2);
      }
    }
  }

  private static boolean initialised(Node n) {
    List<Taint> taints = n.getSpec().getTaints();
    return taints == null || taints.stream().noneMatch(t -> t.getKey().contains("uninitialized"));
  }
}
