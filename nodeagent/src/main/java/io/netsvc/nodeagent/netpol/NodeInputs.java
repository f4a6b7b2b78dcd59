package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the NodeActor told this node's agent to enforce: the policy fragments (with their
 * generations) and the local pods, merged as they arrive, and which of them changed since the last
 * {@link #state} was taken, so that the dataplane looks at just those. Mutable; its IptablesActor
 * owns it.
 */
final class NodeInputs {
  private final Map<String, CompiledPolicy> policies = new TreeMap<>();
  private final Map<String, Long> generations = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();
  // key → value now (null: removed) of what changed since the last state; null maps: not known
  // (nothing taken yet, or the last apply failed), the next state says "compare everything"
  private Map<String, CompiledPolicy> changedPolicies;
  private Map<String, NetpolPod> changedPods;

  void fragment(AgentProtocol.Fragment f) {
    if (f.policy() == null) {
      policies.remove(f.policyKey());
      generations.remove(f.policyKey());
    } else {
      policies.put(f.policyKey(), f.policy());
      generations.put(f.policyKey(), f.generation());
    }
    if (changedPolicies != null) changedPolicies.put(f.policyKey(), f.policy());
  }

  void pod(AgentProtocol.LocalPod p) {
    if (p.pod() == null) pods.remove(p.podKey());
    else pods.put(p.podKey(), p.pod());
    if (changedPods != null) changedPods.put(p.podKey(), p.pod());
  }

  /** Takes every fragment and pod of {@code other} on top of these; removes nothing. */
  void merge(NodeInputs other) {
    policies.putAll(other.policies);
    generations.putAll(other.generations);
    pods.putAll(other.pods);
    if (changedPolicies != null) changedPolicies.putAll(other.policies);
    if (changedPods != null) changedPods.putAll(other.pods);
  }

  /** Forgets what changed: the next state asks the dataplane to compare everything. */
  void changesUnknown() {
    changedPolicies = null;
    changedPods = null;
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

  /** The whole state without its changes, leaving them tracked for the next {@link #state}. */
  NetpolDataplane.State whole(String node, List<String> podCidrs) {
    return new NetpolDataplane.State(
        node, podCidrs, List.copyOf(pods.values()), List.copyOf(policies.values()));
  }

  /** The whole state, with what changed since the last call (from now on, changes are tracked). */
  NetpolDataplane.State state(String node, List<String> podCidrs) {
    NetpolDataplane.Changes changes =
        changedPolicies == null ? null : new NetpolDataplane.Changes(changedPods, changedPolicies);
    changedPolicies = new HashMap<>();
    changedPods = new HashMap<>();
    return new NetpolDataplane.State(
        node, podCidrs, List.copyOf(pods.values()), List.copyOf(policies.values()), changes);
  }
}
