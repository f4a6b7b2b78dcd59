package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a ServiceActor has been told (never what it wrote itself): the Service, its pool's nodes,
 * the node ledgers' decisions, its svclb pods and the nodes with Ready endpoints.
 */
final class ServiceFacts {
  /** The Service as the API has it; null until the first Changed. */
  ServiceInfo svc;

  boolean allowListMode;

  /** The pool's nodes; null until the pool has answered. */
  List<NodeInfo> candidates;

  /** node → the ledger's answer to our claim there. */
  final Map<String, ServiceActor.PortDecision> decisions = new TreeMap<>();

  /** svclb pods by name. */
  final Map<String, PodInfo> pods = new TreeMap<>();

  /** EndpointSlice name → nodes with a Ready pod endpoint. */
  final Map<String, List<String>> slices = new TreeMap<>();

  Set<String> endpointNodes() {
    Set<String> out = new TreeSet<>();
    slices.values().forEach(out::addAll);
    return out;
  }

  /** The holders of the ports refused on these nodes. */
  List<Conflict> conflicts(Set<String> nodes) {
    List<Conflict> out = new ArrayList<>();
    decisions.forEach(
        (node, d) -> {
          if (nodes.contains(node) && !d.granted()) out.addAll(d.conflicts());
        });
    return out;
  }

  /** node → granted, for the plan. */
  TreeMap<String, Boolean> grants() {
    TreeMap<String, Boolean> out = new TreeMap<>();
    decisions.forEach((n, d) -> out.put(n, d.granted()));
    return out;
  }
}
