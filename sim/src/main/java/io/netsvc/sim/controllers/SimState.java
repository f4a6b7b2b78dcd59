package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the sim's controllers know; touched from their single thread only. */
final class SimState {
  final Map<String, Node> nodes = new TreeMap<>();
  final Map<String, Integer> nodeIndex = new HashMap<>();
  final PodIndex pods = new PodIndex();
  final IpPools pools = new IpPools();
  boolean synced;

  int indexOf(String node) {
    return nodeIndex.computeIfAbsent(node, n -> nodeIndex.size());
  }
}
