package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NetworkPolicy resolved against the cluster's pods and namespaces, independent of any node:
 * every node agent renders its own rules from the same value. Pure data; equal inputs compile to
 * equal values, so an actor can skip sending an unchanged one.
 *
 * @param types effective policy types (API defaulting applied)
 * @param targets keys ({@code ns/name}) of the selected actionable pods, sorted
 * @param targetsByNode the same keys grouped by the pod's node, so a node finds its own in O(1)
 * @param targetIps the selected pods' IPs
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
}
