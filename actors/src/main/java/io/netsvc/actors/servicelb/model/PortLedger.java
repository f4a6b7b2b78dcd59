package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's host ports: who holds each, and which LoadBalancer Services are refused and why.
 * Mutable and not thread-safe (its NodeActor owns it). Deterministic, so a ledger rebuilt from the
 * API in any order reaches the same state: pods hold their ports; then Services in
 * (creationTimestamp, key) order are granted iff none of their ports is already held. Every mutator
 * returns the Decisions it changed, in that order. See DESIGN.md beside this file.
 */
public final class PortLedger {
  /** A host port; also sent between actors ("80/TCP"). */
  public record PortKey(int port, String protocol)
      implements Comparable<PortKey>, CborSerializable {
    @Override
    public int compareTo(PortKey o) {
      int c = Integer.compare(port, o.port);
      return c != 0 ? c : protocol.compareTo(o.protocol);
    }

    @Override
    public String toString() {
      return port + "/" + protocol;
    }
  }

  /** What holds ports. */
  public enum Kind {
    SERVICE,
    POD
  }

  /** A Service ("ns/name" and its creationTimestamp) or a pod ("ns/name", null timestamp). */
  public record Holder(Kind kind, String key, String creationTimestamp) {}

  public record Conflict(PortKey port, Holder holder) {}

  /** Granted: holds all its ports here. Refused: holds nothing; conflicts in port order. */
  public record Decision(String serviceKey, boolean granted, List<Conflict> conflicts) {}

  private record Claim(String key, String creationTimestamp, SortedSet<PortKey> ports) {
    Holder holder() {
      return new Holder(Kind.SERVICE, key, creationTimestamp);
    }
  }

  // RFC 3339 timestamps from the API sort as strings; the key breaks ties.
  private static final Comparator<Claim> ORDER =
      Comparator.comparing((Claim c) -> c.creationTimestamp() == null ? "" : c.creationTimestamp())
          .thenComparing(Claim::key);
  private static final TreeSet<Claim> NONE = new TreeSet<>(ORDER);

  private final Map<String, Claim> claimByKey = new HashMap<>();
  private final Map<String, Decision> decisions = new HashMap<>();
  private final Map<PortKey, TreeSet<Claim>> claimsByPort = new HashMap<>();
  // The granted Service of each port; exactly one per held port whenever a call returns.
  private final Map<PortKey, Claim> granted = new HashMap<>();
  private final Map<String, Set<PortKey>> pods = new HashMap<>();
  private final Map<PortKey, TreeSet<String>> podsByPort = new HashMap<>();

  /** Adds or replaces a Service's claim: granted only if every one of its ports is free here. */
  public List<Decision> claim(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    SortedSet<PortKey> sorted = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    Claim next = new Claim(serviceKey, creationTimestamp, sorted);
    Claim prev = claimByKey.get(serviceKey);
    if (next.equals(prev)) return List.of();
    TreeSet<Claim> work = new TreeSet<>(ORDER);
    if (prev != null) unindex(prev, work);
    claimByKey.put(serviceKey, next);
    for (PortKey p : sorted) claimsByPort.computeIfAbsent(p, k -> new TreeSet<>(ORDER)).add(next);
    work.add(next);
    return settle(work, next);
  }

  /** The Service no longer wants this node; whoever waited for its ports is re-decided. */
  public List<Decision> release(String serviceKey) {
    Claim prev = claimByKey.remove(serviceKey);
    if (prev == null) return List.of();
    decisions.remove(serviceKey);
    TreeSet<Claim> work = new TreeSet<>(ORDER);
    unindex(prev, work);
    return settle(work, null);
  }

  /** An ordinary pod's host ports on this node (empty = the pod is gone). Pods always win. */
  public List<Decision> podPorts(String podKey, Set<PortKey> ports) {
    Set<PortKey> next = Set.copyOf(ports);
    Set<PortKey> prev = pods.getOrDefault(podKey, Set.of());
    if (next.equals(prev)) return List.of();
    if (next.isEmpty()) pods.remove(podKey);
    else pods.put(podKey, next);
    TreeSet<Claim> work = new TreeSet<>(ORDER);
    for (PortKey p : prev) {
      if (next.contains(p)) continue;
      TreeSet<String> s = podsByPort.get(p);
      s.remove(podKey);
      if (s.isEmpty()) podsByPort.remove(p);
      work.addAll(claimsByPort.getOrDefault(p, NONE));
    }
    for (PortKey p : next) {
      if (prev.contains(p)) continue;
      podsByPort.computeIfAbsent(p, k -> new TreeSet<>()).add(podKey);
      work.addAll(claimsByPort.getOrDefault(p, NONE));
    }
    return settle(work, null);
  }

  /** Who holds each port now, in port order. */
  public Map<PortKey, Holder> holders() {
    Map<PortKey, Holder> out = new TreeMap<>();
    granted.forEach((p, c) -> out.put(p, c.holder()));
    podsByPort.forEach((p, s) -> out.put(p, new Holder(Kind.POD, s.first(), null)));
    return out;
  }

  public Optional<Decision> decision(String serviceKey) {
    return Optional.ofNullable(decisions.get(serviceKey));
  }

  public Set<String> claimants() {
    return new TreeSet<>(claimByKey.keySet());
  }

  /** Drops a claim from the indexes; the claims that may now get its ports join {@code work}. */
  private void unindex(Claim c, TreeSet<Claim> work) {
    for (PortKey p : c.ports()) {
      TreeSet<Claim> s = claimsByPort.get(p);
      s.remove(c);
      if (s.isEmpty()) claimsByPort.remove(p);
      if (granted.remove(p, c) && !s.isEmpty()) work.addAll(s);
    }
  }

  /**
   * Re-decides {@code work} in claim order. A claim's answer depends only on pods and earlier
   * claims, so when a claim starts or stops holding, only later claims on its ports can change:
   * they join the queue behind it, and nothing before the cursor is ever revisited. A new claim
   * from the youngest Service therefore costs one decision.
   */
  private List<Decision> settle(TreeSet<Claim> work, Claim fresh) {
    List<Decision> changed = new ArrayList<>();
    while (!work.isEmpty()) {
      Claim c = work.pollFirst();
      Decision old = decisions.get(c.key());
      // a fresh claim's predecessor already gave its ports back in unindex
      boolean wasHolding = c != fresh && old != null && old.granted();
      Decision d = decide(c);
      for (PortKey p : c.ports()) {
        if (d.granted()) granted.put(p, c);
        else granted.remove(p, c);
      }
      decisions.put(c.key(), d);
      if (!d.equals(old)) changed.add(d);
      if (d.granted() != wasHolding) {
        for (PortKey p : c.ports()) work.addAll(claimsByPort.get(p).tailSet(c, false));
      }
    }
    return changed;
  }

  private Decision decide(Claim c) {
    List<Conflict> conflicts = new ArrayList<>();
    for (PortKey p : c.ports()) {
      TreeSet<String> podKeys = podsByPort.get(p);
      Claim h = granted.get(p);
      if (podKeys != null) {
        conflicts.add(new Conflict(p, new Holder(Kind.POD, podKeys.first(), null)));
      } else if (h != null && ORDER.compare(h, c) < 0) {
        conflicts.add(new Conflict(p, h.holder()));
      } // a later holder is stale: it is queued behind c and loses the port to it
    }
    return new Decision(c.key(), conflicts.isEmpty(), List.copyOf(conflicts));
  }
}
