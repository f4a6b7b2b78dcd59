package io.netsvc.nodeagent.netpol.conformance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import io.netsvc.sim.SimRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code netsvc sim --dataplane=netns --agents=process} with {@link World}'s two nodes, its files
 * in a fresh temporary directory, and the conformance pods created through its API.
 */
final class AgentLab implements AutoCloseable {
  final SimRunner sim;
  final KubernetesClient client;
  final ApiWorld world;

  private AgentLab(SimRunner sim) {
    this.sim = sim;
    this.client = sim.newClient();
    this.world = new ApiWorld(sim, client);
  }

  static AgentLab start(String name) throws Exception {
    Path dir = Files.createTempDirectory(name);
    ParseResult parsed =
        Cli.parse(
            new String[] {
              "sim",
              "--nodes",
              String.valueOf(World.NODES.size()),
              "--dataplane",
              "netns",
              "--agents",
              "process",
              "--kubeconfig-out",
              dir.resolve("kubeconfig").toString(),
              "--data-dir",
              dir.resolve("data").toString()
            },
            Map.of());
    AgentLab lab = new AgentLab(SimRunner.start(((ParseResult.Run) parsed).settings()));
    try {
      lab.world.create();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  @Override
  public void close() {
    world.close();
    client.close();
    sim.close();
  }
}
