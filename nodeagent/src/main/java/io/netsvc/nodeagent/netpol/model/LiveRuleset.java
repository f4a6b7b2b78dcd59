package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.netpol.model.NamedGroup;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.model.NodeRuleset.LocalPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's rendered ruleset, kept between changes and patched: a change of some policies and pods
 * re-renders only the policies whose chains or sets can change (the changed ones; those whose need
 * of a chain flips because a pod they select came or went; those with an ingress named-port set
 * holding a local IP that came or went), the chains of the pods whose selecting policies changed,
 * and the node part (entry chains, local-pods set; O(local pods)). It returns just the chains and
 * sets that differ, for {@link RestorePlan#patch}. The result equals {@link
 * RulesetRenderer#render(NodeRuleset)} of the same inputs ({@link #differences} checks it).
 * Mutable, one thread at a time.
 */
public final class LiveRuleset {
  /** The chains and sets one change touched, before and after it; policies and pods re-rendered. */
  public record Patch(Ruleset before, Ruleset after, int policies, int pods) {}

  private final NetpolNode node;
  private final Map<String, CompiledPolicy> policies = new HashMap<>();
  private final Map<String, NetpolPod> inputs = new HashMap<>();
  private final TreeMap<String, NetpolPod> local = new TreeMap<>();
  // pod key → keys of the policies listing it among their targets on this node
  private final Map<String, Set<String>> selectors = new HashMap<>();
  // policy key → the chains it has per family: {ingress, egress} per family ordinal
  private final Map<String, boolean[]> needs = new HashMap<>();
  private final Map<IpFamily, LiveTable> tables = new EnumMap<>(IpFamily.class);

  private LiveRuleset(NetpolNode node) {
    this.node = node;
    node.families().forEach(f -> tables.put(f, new LiveTable(f, node)));
  }

  /** The node rendered from scratch. */
  public static LiveRuleset of(
      NetpolNode node, Collection<NetpolPod> pods, Collection<CompiledPolicy> policies) {
    LiveRuleset r = new LiveRuleset(node);
    r.update(r.changes(pods, policies), true);
    return r;
  }

  public NetpolNode node() {
    return node;
  }

  /**
   * Brings the ruleset to these inputs (all of them, as {@link NodeRuleset#of} takes them). What
   * changed is found by key, policies by identity (an agent keeps a policy object until it changes;
   * another object is compared by value), pods by value: O(inputs) reference checks, and the work
   * of the change.
   */
  public Patch update(Collection<NetpolPod> pods, Collection<CompiledPolicy> policies) {
    return update(changes(pods, policies), false);
  }

  /**
   * Brings the ruleset to the current inputs with these changed: key → the pod or policy now, null
   * when it is gone; every input not named stays as it is. O(change): nothing else is looked at.
   */
  public Patch patch(Map<String, NetpolPod> pods, Map<String, CompiledPolicy> policies) {
    Map<String, CompiledPolicy> cp = new LinkedHashMap<>();
    policies.forEach(
        (key, p) -> {
          CompiledPolicy old = this.policies.get(key);
          if (old == p) return;
          if (p != null && p.equals(old)) this.policies.put(key, p); // see changes()
          else cp.put(key, p);
        });
    Map<String, NetpolPod> pp = new LinkedHashMap<>();
    pods.forEach(
        (key, p) -> {
          if (!Objects.equals(p, inputs.get(key))) pp.put(key, p);
        });
    return update(new Changes(pp, cp), false);
  }

  /** The inputs that differ from the current ones: key → new value, null for removed. */
  record Changes(Map<String, NetpolPod> pods, Map<String, CompiledPolicy> policies) {}

  private Changes changes(Collection<NetpolPod> pods, Collection<CompiledPolicy> given) {
    Map<String, CompiledPolicy> cp = new LinkedHashMap<>();
    int present = 0;
    for (CompiledPolicy p : given) {
      CompiledPolicy old = policies.get(p.key());
      if (old != null) present++;
      if (old == p) continue;
      if (p.equals(old)) {
        // an equal fragment sent again (a snapshot merged after the NodeActor was rebuilt): keep
        // the new object so the next identity check is cheap; nothing to render
        policies.put(p.key(), p);
      } else {
        cp.put(p.key(), p);
      }
    }
    if (present < policies.size()) { // some were removed: only then look at every key
      Set<String> keys = new HashSet<>();
      given.forEach(p -> keys.add(p.key()));
      policies
          .keySet()
          .forEach(
              k -> {
                if (!keys.contains(k)) cp.put(k, null);
              });
    }
    Map<String, NetpolPod> pp = new LinkedHashMap<>();
    Set<String> podKeys = new HashSet<>();
    for (NetpolPod p : pods) {
      podKeys.add(p.key());
      if (!p.equals(inputs.get(p.key()))) pp.put(p.key(), p);
    }
    inputs
        .keySet()
        .forEach(
            k -> {
              if (!podKeys.contains(k)) pp.put(k, null);
            });
    return new Changes(pp, cp);
  }

  private Patch update(Changes c, boolean fresh) {
    Set<String> podsToRender = new TreeSet<>();
    Set<String> policiesToRender = new HashSet<>();
    Set<String> candidates = new HashSet<>();
    c.policies().forEach((key, p) -> policy(key, p, podsToRender, policiesToRender));
    boolean nodePart = fresh;
    for (Map.Entry<String, NetpolPod> e : c.pods().entrySet()) {
      nodePart |= pod(e.getKey(), e.getValue(), podsToRender, candidates, policiesToRender);
    }
    for (String key : candidates) {
      CompiledPolicy p = policies.get(key);
      if (p != null && !java.util.Arrays.equals(needs.get(key), needs(p))) {
        policiesToRender.add(key);
      }
    }
    policiesToRender.forEach(this::render);
    podsToRender.forEach(this::renderPod);
    if (nodePart) tables.values().forEach(this::renderNodePart);
    if (fresh) {
      tables.values().forEach(LiveTable::forget);
      return new Patch(Ruleset.EMPTY, Ruleset.EMPTY, policiesToRender.size(), podsToRender.size());
    }
    Map<IpFamily, Ruleset.Table> before = new EnumMap<>(IpFamily.class);
    Map<IpFamily, Ruleset.Table> after = new EnumMap<>(IpFamily.class);
    tables.forEach(
        (f, t) -> {
          Ruleset.Table[] d = t.drain();
          before.put(f, d[0]);
          after.put(f, d[1]);
        });
    return new Patch(
        new Ruleset(before), new Ruleset(after), policiesToRender.size(), podsToRender.size());
  }

  private void policy(
      String key, CompiledPolicy p, Set<String> podsToRender, Set<String> policiesToRender) {
    CompiledPolicy old = p == null ? policies.remove(key) : policies.put(key, p);
    List<String> was = old == null ? List.of() : old.targetsOn(node.name());
    List<String> now = p == null ? List.of() : p.targetsOn(node.name());
    for (String k : was) {
      Set<String> s = selectors.get(k);
      if (s != null && s.remove(key) && s.isEmpty()) selectors.remove(k);
    }
    for (String k : now) selectors.computeIfAbsent(k, x -> new HashSet<>()).add(key);
    policiesToRender.add(key);
    // a pod chain names the policies selecting it per direction: it changes only with those
    boolean sameTypes = old != null && p != null && old.types().equals(p.types());
    Set<String> differ = new HashSet<>(was);
    if (sameTypes) {
      Set<String> nowSet = new HashSet<>(now);
      differ.removeIf(nowSet::contains);
      for (String k : now) if (!was.contains(k)) differ.add(k);
    } else {
      differ.addAll(now);
    }
    for (String k : differ) if (local.containsKey(k)) podsToRender.add(k);
  }

  /** Takes one pod's change; true when the local pods or their IPs changed. */
  private boolean pod(
      String key,
      NetpolPod raw,
      Set<String> podsToRender,
      Set<String> cands,
      Set<String> policiesToRender) {
    if (raw == null) inputs.remove(key);
    else inputs.put(key, raw);
    NetpolPod now = raw == null ? null : localOf(raw);
    NetpolPod was = local.get(key);
    if (Objects.equals(was, now)) return false;
    if (now == null) local.remove(key);
    else local.put(key, now);
    podsToRender.add(key);
    cands.addAll(selectors.getOrDefault(key, Set.of()));
    for (LiveTable t : tables.values()) {
      String before = was == null ? null : ip(was, t.family);
      String after = now == null ? null : ip(now, t.family);
      if (Objects.equals(before, after)) continue;
      // a named-port set that may hold the IP changes even when no chain comes or goes
      if (t.localIp(before, false)) policiesToRender.addAll(t.namedCandidates(before));
      if (t.localIp(after, true)) policiesToRender.addAll(t.namedCandidates(after));
    }
    return true;
  }

  private NetpolPod localOf(NetpolPod raw) {
    if (!node.name().equals(raw.nodeName())) return null;
    NetpolPod p = ClusterView.canonical(raw);
    return p.actionable() ? p : null;
  }

  private static String ip(NetpolPod p, IpFamily f) {
    return f == IpFamily.IPV4 ? p.ipv4() : p.ipv6();
  }

  /** Per family {ingress, egress}: whether some local pod chain of that family jumps to it. */
  private boolean[] needs(CompiledPolicy p) {
    boolean[] out = new boolean[IpFamily.values().length * 2];
    for (String k : p.targetsOn(node.name())) {
      NetpolPod pod = local.get(k);
      if (pod == null) continue;
      for (IpFamily f : tables.keySet()) {
        if (ip(pod, f) == null) continue;
        out[f.ordinal() * 2] |= p.governs(Direction.INGRESS);
        out[f.ordinal() * 2 + 1] |= p.governs(Direction.EGRESS);
      }
    }
    return out;
  }

  private void render(String key) {
    CompiledPolicy p = policies.get(key);
    if (p == null) {
      needs.remove(key);
      tables.values().forEach(t -> t.policy(key, null, null));
      return;
    }
    boolean[] need = needs(p);
    needs.put(key, need);
    for (LiveTable t : tables.values()) {
      boolean in = need[t.family.ordinal() * 2];
      boolean out = need[t.family.ordinal() * 2 + 1];
      TableBuilder b = new TableBuilder(t.family);
      PolicyChains.render(p, in, out, t.localIps(), b);
      t.policy(key, b.build(), in ? namedIps(p, t.family) : null);
    }
  }

  private static List<String> namedIps(CompiledPolicy p, IpFamily f) {
    List<String> out = new ArrayList<>();
    for (var r : p.rules(Direction.INGRESS)) {
      for (NamedGroup g : r.namedGroups()) out.addAll(g.pods().get(f));
    }
    return out;
  }

  private void renderPod(String key) {
    NetpolPod pod = local.get(key);
    List<CompiledPolicy> in = new ArrayList<>();
    List<CompiledPolicy> out = new ArrayList<>();
    if (pod != null) {
      List<CompiledPolicy> selecting = new ArrayList<>();
      for (String k : selectors.getOrDefault(key, Set.of())) selecting.add(policies.get(k));
      selecting.sort(Comparator.comparing(CompiledPolicy::key));
      for (CompiledPolicy p : selecting) {
        if (p.governs(Direction.INGRESS)) in.add(p);
        if (p.governs(Direction.EGRESS)) out.add(p);
      }
    }
    int slash = key.indexOf('/');
    String chain = Names.podChain(key.substring(0, slash), key.substring(slash + 1));
    for (LiveTable t : tables.values()) {
      String ip = pod == null ? null : ip(pod, t.family);
      if (ip == null) {
        t.chain(chain, null);
      } else {
        t.chain(chain, List.copyOf(PodChains.rules(new LocalPod(pod, in, out), ip, t.family)));
      }
    }
  }

  private void renderNodePart(LiveTable t) {
    TableBuilder b = new TableBuilder(t.family);
    StaticChains.head(node, b);
    List<String> ips = new ArrayList<>();
    for (NetpolPod p : local.values()) {
      String ip = ip(p, t.family);
      if (ip == null) continue;
      PodChains.jumps(p, ip, b);
      ips.add(ip);
    }
    StaticChains.tail(node, ips, b);
    t.replace(b.build());
  }

  /** The whole ruleset as it stands (O(rules): for full plans and checks, not per change). */
  public Ruleset ruleset() {
    Map<IpFamily, Ruleset.Table> out = new EnumMap<>(IpFamily.class);
    tables.forEach((f, t) -> out.put(f, t.table()));
    return new Ruleset(out);
  }

  /** Our chains of one family as they stand, unmodifiable (no copy). */
  public Map<String, List<String>> chains(IpFamily f) {
    LiveTable t = tables.get(f);
    return t == null ? Map.of() : t.chains();
  }

  /** Our sets of one family as they stand, unmodifiable (no copy). */
  public Map<String, Ruleset.IpSet> sets(IpFamily f) {
    LiveTable t = tables.get(f);
    return t == null ? Map.of() : t.sets();
  }

  /** The families rendered (each has its tail chain once applied). */
  public Set<IpFamily> families() {
    return tables.keySet();
  }

  /** Sizes as {@link Ruleset#counts()} gives them, kept up to date (O(1)). */
  public Ruleset.Counts counts() {
    Ruleset.Counts c = new Ruleset.Counts(0, 0, 0, 0);
    for (LiveTable t : tables.values()) {
      c = c.plus(new Ruleset.Counts(t.chainCount, t.ruleCount, t.sets().size(), t.memberCount));
    }
    return c;
  }

  /** A fresh render of the current inputs, the way a node is rendered from nothing. */
  public Ruleset fresh() {
    return RulesetRenderer.render(NodeRuleset.of(node, inputs.values(), policies.values()));
  }

  /** The current pod inputs (as given). */
  public Collection<NetpolPod> pods() {
    return List.copyOf(inputs.values());
  }

  /** The current policy inputs. */
  public Collection<CompiledPolicy> policies() {
    return List.copyOf(policies.values());
  }

  /**
   * Where two rulesets differ: the chains and sets of either whose contents are not equal, as
   * {@code family chain|set name}; empty when they are equal.
   */
  public static List<String> differences(Ruleset a, Ruleset b) {
    List<String> out = new ArrayList<>();
    Set<IpFamily> families = new TreeSet<>(a.tables().keySet());
    families.addAll(b.tables().keySet());
    for (IpFamily f : families) {
      Ruleset.Table x = a.table(f);
      Ruleset.Table y = b.table(f);
      Set<String> chains = new TreeSet<>(x.chains().keySet());
      chains.addAll(y.chains().keySet());
      for (String c : chains) {
        if (!Objects.equals(x.chains().get(c), y.chains().get(c))) out.add(f + " chain " + c);
      }
      Set<String> sets = new TreeSet<>(x.sets().keySet());
      sets.addAll(y.sets().keySet());
      for (String s : sets) {
        if (!Objects.equals(x.sets().get(s), y.sets().get(s))) out.add(f + " set " + s);
      }
    }
    return out;
  }
}
