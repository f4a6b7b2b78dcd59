package io.netsvc.actors.servicelb.model;

import io.netsvc.actors.servicelb.model.PortLedger.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.Holder;
import io.netsvc.actors.servicelb.model.PortLedger.Kind;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rule of PortLedger's javadoc, evaluated naively from scratch after every step: pods hold;
 * deployed Services in creation order; the Services that already held keep what they hold; the one
 * that changed its ports keeps them if they are free; the waiting ones, in creation order, get what
 * is left. A refused Service waits and names the holder of each of its ports.
 */
final class LedgerReference {
  enum Standing {
    DEPLOYED,
    GRANTED,
    WAITING
  }

  record Svc(String ts, Set<PortKey> ports, Standing standing) {}

  final Map<String, Svc> services = new HashMap<>();
  final Map<String, Set<PortKey>> pods = new HashMap<>();
  Map<String, Decision> decisions = new HashMap<>();
  Map<PortKey, Holder> holders = new TreeMap<>();

  /** The decisions that changed, in the order the ledger reports them. */
  List<Decision> claim(String key, String ts, Set<PortKey> ports) {
    Svc prev = services.get(key);
    if (prev != null && prev.ts().equals(ts) && prev.ports().equals(ports)) return List.of();
    boolean holding = prev != null && decisions.get(key).granted();
    services.put(
        key, new Svc(ts, Set.copyOf(ports), holding ? Standing.GRANTED : Standing.WAITING));
    return evaluate(key);
  }

  List<Decision> hold(String key, String ts, Set<PortKey> ports) {
    Svc next = new Svc(ts, Set.copyOf(ports), Standing.DEPLOYED);
    if (next.equals(services.get(key))) return List.of();
    services.put(key, next);
    return evaluate(key);
  }

  List<Decision> release(String key) {
    if (services.remove(key) == null) return List.of();
    return evaluate(null);
  }

  List<Decision> podPorts(String pod, Set<PortKey> ports) {
    if (ports.equals(pods.getOrDefault(pod, Set.of()))) return List.of();
    if (ports.isEmpty()) pods.remove(pod);
    else pods.put(pod, Set.copyOf(ports));
    return evaluate(null);
  }

  private List<Decision> evaluate(String changedKey) {
    Map<PortKey, Holder> held = new TreeMap<>();
    new TreeMap<>(pods)
        .forEach(
            (pod, ps) -> ps.forEach(p -> held.putIfAbsent(p, new Holder(Kind.POD, pod, null))));
    Comparator<String> created =
        Comparator.comparing((String k) -> services.get(k).ts()).thenComparing(k -> k);
    List<String> deployed = keys(Standing.DEPLOYED, created);
    List<String> incumbents = keys(Standing.GRANTED, created);
    incumbents.remove(changedKey);
    List<String> waiting = new ArrayList<>();
    List<String> tiers = new ArrayList<>(deployed);
    tiers.addAll(incumbents);
    if (changedKey != null && services.get(changedKey).standing() == Standing.GRANTED) {
      tiers.add(changedKey);
    }
    Map<String, Standing> standing = new HashMap<>();
    for (String k : tiers) {
      if (takeIfFree(k, held)) standing.put(k, services.get(k).standing());
      else waiting.add(k);
    }
    waiting.addAll(keys(Standing.WAITING, created));
    waiting.sort(created);
    for (String k : waiting) {
      standing.put(k, takeIfFree(k, held) ? Standing.GRANTED : Standing.WAITING);
    }
    Map<String, Decision> next = new HashMap<>();
    for (String k : services.keySet()) {
      List<Conflict> conflicts = new ArrayList<>();
      for (PortKey p : new TreeSet<>(services.get(k).ports())) {
        Holder h = held.get(p);
        if (h != null && !h.key().equals(k)) conflicts.add(new Conflict(p, h));
      }
      next.put(k, new Decision(k, conflicts.isEmpty(), List.copyOf(conflicts)));
    }
    standing.forEach(
        (k, s) -> services.put(k, new Svc(services.get(k).ts(), services.get(k).ports(), s)));
    List<String> order = new ArrayList<>(services.keySet());
    order.sort(
        Comparator.comparing((String k) -> services.get(k).standing()).thenComparing(created));
    List<Decision> changed = new ArrayList<>();
    for (String k : order) if (!next.get(k).equals(decisions.get(k))) changed.add(next.get(k));
    decisions = next;
    holders = held;
    return changed;
  }

  private boolean takeIfFree(String k, Map<PortKey, Holder> held) {
    Svc s = services.get(k);
    if (s.ports().stream().anyMatch(held::containsKey)) return false;
    s.ports().forEach(p -> held.put(p, new Holder(Kind.SERVICE, k, s.ts())));
    return true;
  }

  private List<String> keys(Standing s, Comparator<String> created) {
    List<String> out = new ArrayList<>();
    services.forEach(
        (k, v) -> {
          if (v.standing() == s) out.add(k);
        });
    out.sort(created);
    return out;
  }
}
