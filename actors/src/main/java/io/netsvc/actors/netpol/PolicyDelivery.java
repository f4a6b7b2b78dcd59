package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.NodeActor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where one policy's compiled form went: which node was sent which generation, which node applied
 * it, and the resync's view of the nodes. Owned by its NetworkPolicyActor; every fragment and
 * removal of the policy goes out through here, so what it records is what the nodes were told.
 */
final class PolicyDelivery {
  private final String key;
  private final ClusterSharding sharding;
  private final Map<String, Long> sent = new TreeMap<>();
  private final Map<String, Long> realised = new TreeMap<>();
  private final HeldCheck check = new HeldCheck();
  private CompiledPolicy compiled;
  private long generation;

  PolicyDelivery(String key, ClusterSharding sharding) {
    this.key = key;
    this.sharding = sharding;
  }

  /**
   * Numbers the following generations from at least {@code from} (an incarnation that starts from
   * the caches uses its start time, so a node's fragment of an earlier one never passes for
   * current).
   */
  void numberFrom(long from) {
    generation = Math.max(generation, from);
  }

  /**
   * A compile's result. If it changed, a new generation goes to each node hosting a selected pod
   * whose projection ({@link CompiledPolicy#forNode}) changed, and a removal to each node that was
   * sent the policy before and no longer hosts a target. A node whose projection is as before keeps
   * the generation it holds: a pod that comes or goes on one node re-applies on that node only,
   * while a change of the rules reaches every target node. Generations stay per policy and rise
   * with each change, so what a node holds is current when it is the generation it was last sent.
   *
   * @return whether it changed
   */
  boolean publish(CompiledPolicy next) {
    if (next.equals(compiled)) return false;
    CompiledPolicy before = compiled;
    boolean sameRules = next.sameRules(before);
    compiled = sameRules ? next.withRulesOf(before) : next;
    generation++;
    Set<String> nodes = compiled.targetsByNode().keySet();
    for (String node : nodes) {
      boolean same =
          sameRules
              && sent.containsKey(node)
              && compiled.targetsOn(node).equals(before.targetsOn(node));
      if (!same) sendFragment(node, generation);
    }
    for (String node : Set.copyOf(sent.keySet())) {
      if (!nodes.contains(node)) sendRemoval(node);
    }
    return true;
  }

  /**
   * What {@code node} should hold now: its projection at the generation it was sent, or nothing.
   */
  void answer(String node) {
    if (compiled != null && compiled.targetsByNode().containsKey(node)) {
      sendFragment(node, sent.getOrDefault(node, generation));
    } else {
      sendRemoval(node);
    }
  }

  /**
   * A node's resync report that it holds {@code held}. Nothing to do when that is what it was sent,
   * or when something was sent to it so recently that the report crossed it; otherwise it is told
   * what it should hold.
   *
   * @return what was repaired, or null
   */
  String held(String node, long held) {
    Long current = sent.get(node);
    if (current != null && current == held) {
      check.confirmed(node);
      return null;
    }
    if (check.recent(node)) return null;
    answer(node);
    return current == null ? "removed" : "sent again";
  }

  /** The next resync round begins. */
  void nextRound() {
    check.nextRound(sent.keySet());
  }

  /** Target nodes that have not confirmed their fragment for too long get it again. */
  List<String> resendMissing() {
    List<String> repaired = new ArrayList<>();
    if (compiled == null) return repaired;
    for (String node : Set.copyOf(sent.keySet())) {
      if (check.missing(node)) {
        sendFragment(node, sent.get(node));
        repaired.add(node);
      }
    }
    return repaired;
  }

  /** The policy is gone: every node it was sent to drops it. */
  void deleted() {
    for (String node : sent.keySet()) {
      node(node).tell(new NodeActor.PolicyFragment(key, generation + 1, null));
    }
  }

  /**
   * The policy is gone and this incarnation sent nothing: these nodes, which a predecessor may have
   * sent it, drop it (a removal numbered above any generation of that predecessor).
   */
  void removeFrom(Set<String> nodes) {
    for (String node : nodes) {
      if (!sent.containsKey(node)) {
        node(node).tell(new NodeActor.PolicyFragment(key, generation + 1, null));
      }
    }
  }

  void realised(String node, long applied) {
    if (sent.containsKey(node)) realised.put(node, applied);
  }

  CompiledPolicy compiled() {
    return compiled;
  }

  NetworkPolicyActor.Status status() {
    return new NetworkPolicyActor.Status(
        key,
        generation,
        Map.copyOf(sent),
        Map.copyOf(realised),
        compiled == null ? List.of() : compiled.targets(),
        compiled == null ? List.of() : compiled.problems());
  }

  private void sendFragment(String node, long gen) {
    sent.put(node, gen);
    check.sent(node);
    node(node).tell(new NodeActor.PolicyFragment(key, gen, compiled.forNode(node)));
  }

  private void sendRemoval(String node) {
    sent.remove(node);
    realised.remove(node);
    check.sent(node);
    node(node).tell(new NodeActor.PolicyFragment(key, generation, null));
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NodeActor.Command> node(
      String node) {
    return sharding.entityRefFor(NodeActor.TYPE_KEY, node);
  }
}
