package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.servicelb.AgentProtocol;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The NetworkPolicy part of a NodeActor: the fragments of the policies that select pods on this
 * node and the node's pods, kept so that a (re)started agent gets the full state at once; the
 * agent's reports of what it applied are kept for the Management route and passed on to the
 * policies as "realised".
 */
public final class NodeNetpol {
  /** What the agent last applied, as it reported it. */
  public record Applied(
      long generation,
      Map<String, Long> policies,
      String ruleset,
      long applyMillis,
      int chains,
      int rules,
      int sets,
      String error)
      implements CborSerializable {}

  private final String node;
  private final ClusterSharding sharding;
  private final Map<String, AgentProtocol.Fragment> fragments = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();
  private Applied applied;

  public NodeNetpol(String node, ClusterSharding sharding) {
    this.node = node;
    this.sharding = sharding;
  }

  public void fragment(
      String key, long generation, CompiledPolicy policy, Consumer<AgentProtocol.Command> agent) {
    AgentProtocol.Fragment f = new AgentProtocol.Fragment(key, generation, policy);
    if (policy == null) fragments.remove(key);
    else fragments.put(key, f);
    agent.accept(f);
  }

  public void pod(String key, NetpolPod pod, Consumer<AgentProtocol.Command> agent) {
    if (pod == null) pods.remove(key);
    else pods.put(key, pod);
    agent.accept(new AgentProtocol.LocalPod(key, pod));
  }

  /** Everything, for an agent that just (re)registered. */
  public void resend(ActorRef<AgentProtocol.Command> agent) {
    pods.forEach((k, p) -> agent.tell(new AgentProtocol.LocalPod(k, p)));
    fragments.values().forEach(agent::tell);
  }

  public void applied(Applied report) {
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

  public Applied lastApplied() {
    return applied;
  }

  public int policies() {
    return fragments.size();
  }

  public int localPods() {
    return pods.size();
  }
}
