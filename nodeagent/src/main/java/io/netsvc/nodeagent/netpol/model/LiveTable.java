package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpFamily;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One family of a {@link LiveRuleset}: its chains and sets as they are now, the part each policy
 * contributed, the local pod IPs, and what the change in progress touched (the first value of every
 * chain and set it replaced), so that only those are planned. Mutable; owned by its LiveRuleset.
 */
final class LiveTable {
  final IpFamily family;
  private final TreeMap<String, List<String>> chains = new TreeMap<>();
  private final TreeMap<String, Ruleset.IpSet> sets = new TreeMap<>();
  // local pod IPs with the number of local pods holding each (two pods may briefly share one)
  private final Map<String, Integer> localIps = new HashMap<>();
  private final Map<String, Ruleset.Table> byPolicy = new HashMap<>();
  // ingress named-port IPs → policies whose sets depend on whether that IP is local
  private final Map<String, Set<String>> namedIndex = new HashMap<>();
  private final Map<String, List<String>> namedIpsOf = new HashMap<>();
  private final List<Cidr> podCidrs;
  // the chains and sets the change in progress replaced, with their value before it (null: absent)
  private final Map<String, List<String>> chainsBefore = new HashMap<>();
  private final Map<String, Ruleset.IpSet> setsBefore = new HashMap<>();
  int chainCount;
  int ruleCount;
  int memberCount;

  LiveTable(IpFamily family, NetpolNode node) {
    this.family = family;
    this.podCidrs =
        node.podCidrs(family).stream()
            .map(c -> Cidr.parseOrThrow(c, IpAddress.Syntax.KUBERNETES))
            .toList();
  }

  Map<String, List<String>> chains() {
    return Collections.unmodifiableMap(chains);
  }

  Map<String, Ruleset.IpSet> sets() {
    return Collections.unmodifiableMap(sets);
  }

  Set<String> localIps() {
    return Collections.unmodifiableSet(localIps.keySet());
  }

  /** Counts a local pod's IP in or out; true when the set of local IPs changed. */
  boolean localIp(String ip, boolean add) {
    if (ip == null) return false;
    int n = localIps.getOrDefault(ip, 0) + (add ? 1 : -1);
    if (n <= 0) localIps.remove(ip);
    else localIps.put(ip, n);
    return add ? n == 1 : n == 0;
  }

  /**
   * The policies whose rendering may change when {@code ip} becomes local or stops being local:
   * those with an ingress named-port set that may hold it. IPs inside the node's pod CIDRs are
   * indexed (a pod's IP normally is); for any other IP every such policy is a candidate.
   */
  Set<String> namedCandidates(String ip) {
    if (indexed(ip)) return namedIndex.getOrDefault(ip, Set.of());
    return namedIpsOf.keySet();
  }

  private boolean indexed(String ip) {
    if (podCidrs.isEmpty()) return true;
    IpAddress a = IpAddress.parse(ip, IpAddress.Syntax.KUBERNETES).orElse(null);
    return a != null && podCidrs.stream().anyMatch(c -> c.contains(a));
  }

  /** Replaces what {@code policy} contributes (null or empty: nothing). */
  void policy(String policy, Ruleset.Table part, List<String> namedIps) {
    Ruleset.Table old = byPolicy.remove(policy);
    if (old != null) {
      old.chains().keySet().forEach(c -> chain(c, null));
      old.sets().keySet().forEach(s -> set(s, null));
    }
    for (String ip : namedIpsOf.getOrDefault(policy, List.of())) {
      Set<String> ps = namedIndex.get(ip);
      if (ps != null && ps.remove(policy) && ps.isEmpty()) namedIndex.remove(ip);
    }
    namedIpsOf.remove(policy);
    if (part != null && !(part.chains().isEmpty() && part.sets().isEmpty())) {
      byPolicy.put(policy, part);
      part.chains().forEach(this::chain);
      part.sets().forEach(this::set);
    }
    if (namedIps != null) {
      List<String> kept = namedIps.stream().filter(this::indexed).distinct().toList();
      namedIpsOf.put(policy, kept);
      kept.forEach(ip -> namedIndex.computeIfAbsent(ip, k -> new HashSet<>()).add(policy));
    }
  }

  /** Sets a chain's rules (null: the chain goes away), remembering its value before the change. */
  void chain(String name, List<String> rules) {
    List<String> old = rules == null ? chains.remove(name) : chains.put(name, rules);
    if (!chainsBefore.containsKey(name)) chainsBefore.put(name, old);
    boolean builtin = Ruleset.BUILTIN_CHAINS.contains(name);
    if (old != null) {
      ruleCount -= old.size();
      if (!builtin) chainCount--;
    }
    if (rules != null) {
      ruleCount += rules.size();
      if (!builtin) chainCount++;
    }
  }

  /** Sets an ipset (null: it goes away), remembering its value before the change. */
  void set(String name, Ruleset.IpSet set) {
    Ruleset.IpSet old = set == null ? sets.remove(name) : sets.put(name, set);
    if (!setsBefore.containsKey(name)) setsBefore.put(name, old);
    if (old != null) memberCount -= old.members().size();
    if (set != null) memberCount += set.members().size();
  }

  /** Replaces every chain and set of {@code t} (the node part: built-ins, entry, static chains). */
  void replace(Ruleset.Table t) {
    t.chains().forEach(this::chain);
    t.sets().forEach(this::set);
  }

  /** Forgets what the changes so far replaced (after a build from nothing). */
  void forget() {
    chainsBefore.clear();
    setsBefore.clear();
  }

  /** What the change since the last call replaced: {before, after}, only what differs. */
  Ruleset.Table[] drain() {
    Map<String, List<String>> cb = new TreeMap<>();
    Map<String, List<String>> ca = new TreeMap<>();
    chainsBefore.forEach(
        (name, old) -> {
          List<String> now = chains.get(name);
          if (Objects.equals(old, now)) return;
          if (old != null) cb.put(name, old);
          if (now != null) ca.put(name, now);
        });
    Map<String, Ruleset.IpSet> sb = new TreeMap<>();
    Map<String, Ruleset.IpSet> sa = new TreeMap<>();
    setsBefore.forEach(
        (name, old) -> {
          Ruleset.IpSet now = sets.get(name);
          if (Objects.equals(old, now)) return;
          if (old != null) sb.put(name, old);
          if (now != null) sa.put(name, now);
        });
    chainsBefore.clear();
    setsBefore.clear();
    return new Ruleset.Table[] {new Ruleset.Table(cb, sb), new Ruleset.Table(ca, sa)};
  }

  Ruleset.Table table() {
    return new Ruleset.Table(chains, sets);
  }
}
