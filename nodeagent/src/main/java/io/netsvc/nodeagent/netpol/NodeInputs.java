package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the NodeActor told this node's agent to enforce: the policy fragments (with their
 * generations) and the local pods, merged as they arrive. Mutable; its IptablesActor owns it.
 */
final class NodeInputs {
  private final Map<String, CompiledPolicy> policies = new TreeMap<>();
  private final Map<String, Long> generations = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();

  void fragment(AgentProtocol.Fragment f) {
    if (f.policy() == null) {
      policies.remove(f.policyKey());
      generations.remove(f.policyKey());
    } else {
      policies.put(f.policyKey(), f.policy());
      generations.put(f.policyKey(), f.generation());
    }
  }

  void pod(AgentProtocol.LocalPod p) {
    if (p.pod() == null) pods.remove(p.podKey());
    else pods.put(p.podKey(), p.pod());
  }

  /** Takes every fragment and pod of {@code other} on top of these; removes nothing. */
  void merge(NodeInputs other) {
    policies.putAll(other.policies);
    generations.putAll(other.generations);
    pods.putAll(other.pods);
  }

  /** policy key → the generation of its fragment. */
  Map<String, Long> generations() {
    return Map.copyOf(generations);
  }

  int policyCount() {
    return policies.size();
  }

  int podCount() {
    return pods.size();
  }

  NetpolDataplane.State state(String node, List<String> podCidrs) {
    return new NetpolDataplane.State(
        node, podCidrs, List.copyOf(pods.values()), List.copyOf(policies.values()));
  }
}
