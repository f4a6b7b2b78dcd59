package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pods by key, node (bound or intended) and owner uid. Fed by the pod watch and by the sim's own
 * writes at once, so a controller never acts twice on a pod the watch has not shown yet. Used from
 * the controllers' single thread only.
 */
final class PodIndex {
  static final String INTENDED_NODE = "sim.netsvc.io/intended-node";
  private final Map<String, Pod> byKey = new HashMap<>();
  private final Map<String, Set<String>> byNode = new HashMap<>();
  private final Map<String, Set<String>> byOwner = new HashMap<>();

  static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  /** The node a pod runs on, or the one the DaemonSet meant it for while it is Pending. */
  static String node(Pod p) {
    if (p.getSpec() != null && p.getSpec().getNodeName() != null) return p.getSpec().getNodeName();
    var a = p.getMetadata().getAnnotations();
    return a == null ? null : a.get(INTENDED_NODE);
  }

  static String owner(Pod p) {
    var refs = p.getMetadata().getOwnerReferences();
    return refs == null || refs.isEmpty() ? null : refs.get(0).getUid();
  }

  void upsert(Pod p) {
    remove(key(p));
    String k = key(p);
    byKey.put(k, p);
    String node = node(p);
    if (node != null) byNode.computeIfAbsent(node, x -> new LinkedHashSet<>()).add(k);
    String owner = owner(p);
    if (owner != null) byOwner.computeIfAbsent(owner, x -> new LinkedHashSet<>()).add(k);
  }

  Pod remove(String key) {
    Pod old = byKey.remove(key);
    if (old == null) return null;
    String node = node(old);
    if (node != null && byNode.containsKey(node)) byNode.get(node).remove(key);
    String owner = owner(old);
    if (owner != null && byOwner.containsKey(owner)) byOwner.get(owner).remove(key);
    return old;
  }

  Pod get(String key) {
    return byKey.get(key);
  }

  /** Pods that hold their node: bound (nodeName set) and not finished. */
  List<Pod> boundOn(String node) {
    List<Pod> out = new ArrayList<>();
    for (String k : byNode.getOrDefault(node, Set.of())) {
      Pod p = byKey.get(k);
      if (p.getSpec().getNodeName() != null && !finished(p)) out.add(p);
    }
    return out;
  }

  List<Pod> ownedBy(String uid) {
    List<Pod> out = new ArrayList<>();
    for (String k : byOwner.getOrDefault(uid, Set.of())) out.add(byKey.get(k));
    return out;
  }

  Collection<Pod> all() {
    return byKey.values();
  }

  int countOn(String node) {
    return byNode.getOrDefault(node, Set.of()).size();
  }

  static boolean finished(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The random 5-character suffix controllers give the pods they create. */
  static String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
