package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's host ports: who holds each, and which LoadBalancer Services are refused and why.
 * Deterministic, so a ledger rebuilt from the API in any order reaches the same state: pods hold
 * their ports; then Services in (creationTimestamp, key) order are granted iff none of their ports
 * is already held. See DESIGN.md beside this file.
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

  public record Holder(Kind kind, String key, String creationTimestamp) {}

  public record Conflict(PortKey port, Holder holder) {}

  public record Decision(String serviceKey, boolean granted, List<Conflict> conflicts) {}

  private record Claim(String key, String creationTimestamp, Set<PortKey> ports) {}

  private static final Comparator<Claim> ORDER =
      Comparator.comparing((Claim c) -> c.creationTimestamp() == null ? "" : c.creationTimestamp())
          .thenComparing(Claim::key);

  private final Map<String, Set<PortKey>> pods = new HashMap<>();
  private final TreeMap<Claim, Boolean> claims = new TreeMap<>(ORDER);
  private final Map<String, Claim> claimByKey = new HashMap<>();
  private final Map<String, Decision> decisions = new HashMap<>();
  private final TreeMap<PortKey, Holder> holders = new TreeMap<>();

  public List<Decision> claim(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    Claim next = new Claim(serviceKey, creationTimestamp, Set.copyOf(ports));
    Claim prev = claimByKey.get(serviceKey);
    if (next.equals(prev)) return List.of();
    if (prev != null) claims.remove(prev);
    claims.put(next, Boolean.TRUE);
    claimByKey.put(serviceKey, next);
    // The common case: a new Service younger than every other can only take what is free.
    if (prev == null && claims.lastKey() == next) {
      Decision d = decide(next);
      if (d.granted()) ports.forEach(p -> holders.put(p, holder(next)));
      decisions.put(serviceKey, d);
      return List.of(d);
    }
    return recompute();
  }

  public List<Decision> release(String serviceKey) {
    Claim prev = claimByKey.remove(serviceKey);
    if (prev == null) return List.of();
    claims.remove(prev);
    Decision d = decisions.remove(serviceKey);
    if (d != null && !d.granted()) return List.of();
    return recompute();
  }

  /** An ordinary pod's host ports on this node; empty = the pod is gone. */
  public List<Decision> podPorts(String podKey, Set<PortKey> ports) {
    Set<PortKey> prev = ports.isEmpty() ? pods.remove(podKey) : pods.put(podKey, Set.copyOf(ports));
    if (Set.copyOf(ports).equals(prev) || (prev == null && ports.isEmpty())) return List.of();
    return recompute();
  }

  public Map<PortKey, Holder> holders() {
    return new TreeMap<>(holders);
  }

  public Optional<Decision> decision(String serviceKey) {
    return Optional.ofNullable(decisions.get(serviceKey));
  }

  public Set<String> claimants() {
    return new TreeSet<>(claimByKey.keySet());
  }

  private List<Decision> recompute() {
    holders.clear();
    pods.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                e.getValue()
                    .forEach(p -> holders.putIfAbsent(p, new Holder(Kind.POD, e.getKey(), null))));
    List<Decision> changed = new ArrayList<>();
    for (Claim c : claims.keySet()) {
      Decision d = decide(c);
      if (d.granted()) c.ports().forEach(p -> holders.put(p, holder(c)));
      if (!d.equals(decisions.put(c.key(), d))) changed.add(d);
    }
    return changed;
  }

  private Decision decide(Claim c) {
    List<Conflict> conflicts = new ArrayList<>();
    for (PortKey p : new TreeSet<>(c.ports())) {
      Holder h = holders.get(p);
      if (h != null) conflicts.add(new Conflict(p, h));
    }
    return new Decision(c.key(), conflicts.isEmpty(), List.copyOf(conflicts));
  }

  private static Holder holder(Claim c) {
    return new Holder(Kind.SERVICE, c.key(), c.creationTimestamp());
  }
}
