package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NetworkPolicy resolved against the cluster's pods and namespaces. The compiler's result covers
 * the whole cluster; what a node is sent is its {@link #forNode projection}: only its own targets,
 * with the rules shared (the same objects) between the projections of one compile. Pure data; equal
 * inputs compile to equal values, so an actor can skip sending an unchanged one.
 *
 * @param types effective policy types (API defaulting applied)
 * @param targets keys ({@code ns/name}) of the selected actionable pods, sorted
 * @param targetsByNode the same keys grouped by the pod's node, so a node finds its own in O(1)
 * @param targetIps the selected pods' IPs (empty in a projection: no node agent reads them)
 * @param ingress rules, only when {@code types} holds INGRESS
 * @param egress rules, only when {@code types} holds EGRESS
 * @param problems what is wrong with the object; each named part allows nothing, the rest works
 */
public record CompiledPolicy(
    String namespace,
    String name,
    Set<Direction> types,
    List<String> targets,
    Map<String, List<String>> targetsByNode,
    FamilyIps targetIps,
    List<CompiledRule> ingress,
    List<CompiledRule> egress,
    List<String> problems)
    implements CborSerializable {

  public CompiledPolicy {
    types = Set.copyOf(types);
    targets = List.copyOf(targets);
    targetsByNode = Map.copyOf(targetsByNode);
    targetIps = targetIps == null ? FamilyIps.NONE : targetIps;
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    problems = List.copyOf(problems);
  }

  public String key() {
    return namespace + "/" + name;
  }

  public boolean governs(Direction d) {
    return types.contains(d);
  }

  /** The rules of one direction (empty for a type the policy does not have). */
  public List<CompiledRule> rules(Direction d) {
    return d == Direction.INGRESS ? ingress : egress;
  }

  /** Keys of the selected pods that run on {@code node}. */
  public List<String> targetsOn(String node) {
    return targetsByNode.getOrDefault(node, List.of());
  }

  /**
   * What {@code node} is sent: its own targets and the rules, nothing of the other nodes' targets.
   * A node agent reads only {@link #targetsOn} its node and the rules, so the projection renders
   * the same rules as the whole policy, while it holds O(the node's targets) of its own and does
   * not change when a pod on another node comes or goes. The rule lists are the same objects as
   * this policy's (List.copyOf keeps an unmodifiable list as it is), so N projections in one JVM
   * hold the rules once.
   */
  public CompiledPolicy forNode(String node) {
    List<String> own = targetsOn(node);
    return new CompiledPolicy(
        namespace,
        name,
        types,
        own,
        own.isEmpty() ? Map.of() : Map.of(node, own),
        FamilyIps.NONE,
        ingress,
        egress,
        problems);
  }

  /**
   * This policy with the rule objects of {@code earlier}, whose rules are equal to its own ({@link
   * #sameRules}): an equal value. A node whose projection did not change keeps the one it was sent,
   * which refers to the rules of the compile it came from; taking those over keeps one copy of the
   * rules per policy in a JVM instead of one per compile that some node still holds.
   */
  public CompiledPolicy withRulesOf(CompiledPolicy earlier) {
    return new CompiledPolicy(
        namespace,
        name,
        earlier.types,
        targets,
        targetsByNode,
        targetIps,
        earlier.ingress,
        earlier.egress,
        earlier.problems);
  }

  /** Whether everything but the targets is equal: a change here reaches every target node. */
  public boolean sameRules(CompiledPolicy other) {
    return other != null
        && namespace.equals(other.namespace)
        && name.equals(other.name)
        && types.equals(other.types)
        && problems.equals(other.problems)
        && ingress.equals(other.ingress)
        && egress.equals(other.egress);
  }
}
