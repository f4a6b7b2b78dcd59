package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's host ports: who holds each, and which LoadBalancer Services wait and why. Mutable and
 * not thread-safe (its NodeActor owns it). Grants are sticky: pods hold their ports; a Service that
 * is deployed here ({@link #hold}) or was granted here keeps its ports; the Services that wait get
 * free ports in (creationTimestamp, key) order. So a ledger rebuilt from what is deployed, the pods
 * and the re-sent claims, in any order, reaches the grants it had. Every mutator returns the
 * Decisions it changed, in claim order. See DESIGN.md beside this file.
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

  /**
   * Where a Service stands, which is also the order it is decided in. A deployed Service beats
   * every other Service (two deployed on one port, a corrupt state, go by creation order); a
   * granted one keeps what it holds; a waiting one gets only free ports. A refused Service always
   * waits.
   */
  private enum Standing {
    DEPLOYED,
    GRANTED,
    WAITING
  }

  private record Claim(
      String key, String creationTimestamp, SortedSet<PortKey> ports, Standing standing) {
    Holder holder() {
      return new Holder(Kind.SERVICE, key, creationTimestamp);
    }

    boolean sameAs(String ts, SortedSet<PortKey> ps) {
      return Objects.equals(creationTimestamp, ts) && ports.equals(ps);
    }

    Claim as(Standing s) {
      return new Claim(key, creationTimestamp, ports, s);
    }
  }

  // RFC 3339 timestamps from the API sort as strings; the key breaks ties.
  private static final Comparator<Claim> ORDER =
      Comparator.comparing(Claim::standing)
          .thenComparing(c -> c.creationTimestamp() == null ? "" : c.creationTimestamp())
          .thenComparing(Claim::key);
  private static final TreeSet<Claim> NONE = new TreeSet<>(ORDER);

  private final Map<String, Claim> claimByKey = new HashMap<>();
  private final Map<String, Decision> decisions = new HashMap<>();
  private final Map<PortKey, TreeSet<Claim>> claimsByPort = new HashMap<>();
  // The granted Service of each port; exactly one per held port whenever a call returns.
  private final Map<PortKey, Claim> granted = new HashMap<>();
  private final Map<String, Set<PortKey>> pods = new HashMap<>();
  private final Map<PortKey, TreeSet<String>> podsByPort = new HashMap<>();

  /**
   * Adds or replaces a Service's claim. A new Service waits for free ports; one that holds its
   * ports and asks for others keeps them only if the new ones are free too.
   */
  public List<Decision> claim(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    SortedSet<PortKey> sorted = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    Claim prev = claimByKey.get(serviceKey);
    if (prev != null && prev.sameAs(creationTimestamp, sorted)) return List.of();
    boolean holding = prev != null && decisions.get(serviceKey).granted();
    Standing s = holding ? Standing.GRANTED : Standing.WAITING;
    return replace(prev, new Claim(serviceKey, creationTimestamp, sorted, s));
  }

  /**
   * The Service is deployed on this node with these ports (its svclb DaemonSet runs here): it holds
   * them against any other Service, as a grant this ledger made before a restart. Only a pod, or an
   * older Service also deployed on one of the ports, refuses it.
   */
  public List<Decision> hold(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    SortedSet<PortKey> sorted = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    Claim next = new Claim(serviceKey, creationTimestamp, sorted, Standing.DEPLOYED);
    Claim prev = claimByKey.get(serviceKey);
    if (next.equals(prev)) return List.of();
    return replace(prev, next);
  }

  /** The Service no longer wants this node; the oldest Services waiting for its ports get them. */
  public List<Decision> release(String serviceKey) {
    Claim prev = claimByKey.remove(serviceKey);
    if (prev == null) return List.of();
    decisions.remove(serviceKey);
    TreeSet<Claim> work = new TreeSet<>(ORDER);
    unindex(prev, work);
    return settle(work, null, Map.of());
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
    return settle(work, null, Map.of());
  }

  /** Who holds each port now, in port order. */
  public Map<PortKey, Holder> holders() {
    Map<PortKey, Holder> out = new TreeMap<>();
    granted.forEach((p, c) -> out.put(p, c.holder()));
    podsByPort.forEach((p, s) -> out.put(p, new Holder(Kind.POD, s.first(), null)));
    return out;
  }

  /** How many ports pods hold (as in {@link #holders}, without building it). */
  public int podHeldPorts() {
    return podsByPort.size();
  }

  /**
   * How many ports Services hold (as in {@link #holders}, where a pod's holding wins): O(pod
   * ports), not O(ports), since a node's ledger answers this after every claim.
   */
  public int serviceHeldPorts() {
    int both = 0;
    for (PortKey p : podsByPort.keySet()) if (granted.containsKey(p)) both++;
    return granted.size() - both;
  }

  public Optional<Decision> decision(String serviceKey) {
    return Optional.ofNullable(decisions.get(serviceKey));
  }

  public Set<String> claimants() {
    return new TreeSet<>(claimByKey.keySet());
  }

  private List<Decision> replace(Claim prev, Claim next) {
    TreeSet<Claim> work = new TreeSet<>(ORDER);
    Map<String, Decision> before = new HashMap<>();
    if (prev != null) {
      before.put(prev.key(), decisions.get(prev.key()));
      unindex(prev, work);
    }
    index(next);
    work.add(next);
    return settle(work, next, before);
  }

  private void index(Claim c) {
    claimByKey.put(c.key(), c);
    for (PortKey p : c.ports()) claimsByPort.computeIfAbsent(p, k -> new TreeSet<>(ORDER)).add(c);
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
   * Re-decides {@code work} in claim order. A claim's answer depends only on pods and the claims
   * before it, so when a claim starts or stops holding, only the claims after it on its ports can
   * change: they join the queue behind it. A waiting claim that is granted moves up to GRANTED, and
   * the waiting claims it passed are re-decided only to name it; a holder that is refused drops to
   * WAITING and is decided once more there. A new claim from the youngest Service on free ports
   * therefore costs one decision.
   */
  private List<Decision> settle(TreeSet<Claim> work, Claim fresh, Map<String, Decision> before) {
    Map<String, Decision> first = new HashMap<>(before);
    while (!work.isEmpty()) {
      Claim c = work.pollFirst();
      if (claimByKey.get(c.key()) != c) continue; // replaced since it was queued
      Decision old = decisions.get(c.key());
      if (!first.containsKey(c.key())) first.put(c.key(), old);
      // a fresh claim's predecessor already gave its ports back in unindex
      boolean wasHolding = c != fresh && old != null && old.granted();
      Decision d = decide(c);
      for (PortKey p : c.ports()) {
        if (d.granted()) granted.put(p, c);
        else granted.remove(p, c);
      }
      decisions.put(c.key(), d);
      Claim now = c;
      if (d.granted() && c.standing() == Standing.WAITING) now = restand(c, Standing.GRANTED);
      if (!d.granted() && c.standing() != Standing.WAITING) now = restand(c, Standing.WAITING);
      if (d.granted() != wasHolding || now != c) {
        for (PortKey p : c.ports()) work.addAll(claimsByPort.get(p).tailSet(c, false));
      }
      if (now != c && d.granted()) {
        // the waiting claims it passed are refused already; they must name it now
        for (PortKey p : c.ports()) work.addAll(claimsByPort.get(p).subSet(now, false, c, false));
      }
      if (now != c && !d.granted()) work.add(now);
    }
    List<Claim> touched = new ArrayList<>();
    first.forEach(
        (key, old) -> {
          Claim c = claimByKey.get(key);
          if (c != null && !decisions.get(key).equals(old)) touched.add(c);
        });
    touched.sort(ORDER);
    Map<String, Decision> changed = new LinkedHashMap<>();
    touched.forEach(c -> changed.put(c.key(), decisions.get(c.key())));
    return List.copyOf(changed.values());
  }

  private Claim restand(Claim c, Standing s) {
    Claim now = c.as(s);
    for (PortKey p : c.ports()) {
      TreeSet<Claim> set = claimsByPort.get(p);
      set.remove(c);
      set.add(now);
      granted.replace(p, c, now);
    }
    claimByKey.put(c.key(), now);
    return now;
  }

  private Decision decide(Claim c) {
    List<Conflict> conflicts = new ArrayList<>();
    for (PortKey p : c.ports()) {
      TreeSet<String> podKeys = podsByPort.get(p);
      Claim h = granted.get(p);
      if (podKeys != null) {
        conflicts.add(new Conflict(p, new Holder(Kind.POD, podKeys.first(), null)));
      } else if (h != null && !h.key().equals(c.key()) && beats(h, c)) {
        conflicts.add(new Conflict(p, h.holder()));
      } // otherwise the holder is stale: it is queued behind c and loses the port to it
    }
    return new Decision(c.key(), conflicts.isEmpty(), List.copyOf(conflicts));
  }

  /** Whether holder {@code h} keeps a port that {@code c} wants. */
  private static boolean beats(Claim h, Claim c) {
    return switch (c.standing()) {
      case DEPLOYED -> h.standing() == Standing.DEPLOYED && ORDER.compare(h, c) < 0;
      case GRANTED, WAITING -> true;
    };
  }
}
