package io.netsvc.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded cluster of {@code netsvc sim}.
 *
 * @param nodes number of nodes (the scenario's size when a scenario file was given)
 * @param scenario the nodes to simulate: loaded from {@code scenarioFile}, or generated
 * @param members number of netsvc members (ActorSystems) to start; 0 = the API and simulated nodes
 *     only
 * @param apiPort port of the embedded Kubernetes API; 0 picks a free one
 * @param netnsDataplane {@code --dataplane=netns}: nodes and pods are network namespaces and
 *     NetworkPolicies are enforced with real packets (root); otherwise rules go to memory
 * @param agentProcesses {@code --agents=process} (with netns only): each node's agent is a separate
 *     {@code netsvc agent} process in the node's namespace, as on a real host
 */
public record SimSettings(
    int nodes,
    Optional<Path> scenarioFile,
    Scenario scenario,
    int members,
    int apiPort,
    Path kubeconfigOut,
    boolean netnsDataplane,
    boolean agentProcesses) {

  public SimSettings {
    Objects.requireNonNull(scenarioFile, "scenarioFile");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(kubeconfigOut, "kubeconfigOut");
    if (agentProcesses && !netnsDataplane) {
      throw new IllegalArgumentException("agent processes need the netns dataplane");
    }
  }

  /** The same settings with another member count. */
  public SimSettings withMembers(int k) {
    return new SimSettings(
        nodes, scenarioFile, scenario, k, apiPort, kubeconfigOut, netnsDataplane, agentProcesses);
  }
}
