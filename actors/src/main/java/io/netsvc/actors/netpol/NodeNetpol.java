package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The NetworkPolicy part of a NodeActor: the fragments of the policies that select pods on this
 * node and the node's pods, kept so that a (re)started agent gets the full state at once; the
 * agent's reports of what it applied are kept for the Management route and passed on to the
 * policies as "realised".
 */
public final class NodeNetpol implements NodeParts.Netpol {
  private final String node;
  private final ClusterSharding sharding;
  private final Consumer<AgentProtocol.Command> agent;
  private final Map<String, AgentProtocol.Fragment> fragments = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();
  private AppliedRuleset applied;

  private NodeNetpol(String node, ClusterSharding sharding, Consumer<AgentProtocol.Command> agent) {
    this.node = node;
    this.sharding = sharding;
    this.agent = agent;
  }

  /** The parts of the nodes, telling the NetworkPolicyActors through {@code sharding}. */
  public static NodeParts.Netpol.Factory factory(ClusterSharding sharding) {
    return (node, agent) -> new NodeNetpol(node, sharding, agent);
  }

  @Override
  public void fragment(String key, long generation, CompiledPolicy policy) {
    AgentProtocol.Fragment f = new AgentProtocol.Fragment(key, generation, policy);
    if (policy == null) fragments.remove(key);
    else fragments.put(key, f);
    agent.accept(f);
  }

  @Override
  public void pod(String key, NetpolPod pod) {
    if (pod == null) pods.remove(key);
    else pods.put(key, pod);
    agent.accept(new AgentProtocol.LocalPod(key, pod));
  }

  @Override
  public void resend() {
    pods.forEach((k, p) -> agent.accept(new AgentProtocol.LocalPod(k, p)));
    fragments.values().forEach(agent);
  }

  @Override
  public void applied(AppliedRuleset report) {
    Map<String, Long> before = applied == null ? Map.of() : applied.policies();
    applied = report;
    report
        .policies()
        .forEach(
            (key, gen) -> {
              if (!gen.equals(before.get(key))) {
                sharding
                    .entityRefFor(NetworkPolicyActor.TYPE_KEY, key)
                    .tell(new NetworkPolicyActor.Realised(node, gen));
              }
            });
  }

  @Override
  public AppliedRuleset lastApplied() {
    return applied;
  }

  @Override
  public int policies() {
    return fragments.size();
  }

  @Override
  public int localPods() {
    return pods.size();
  }
}
