package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one node must enforce, before it is written as rules: its local actionable pods, for each
 * the policies that select it per direction, and the policies whose chains it needs. Only policies
 * with a local target are rendered (kube-router renders every policy on every node, D14), so a
 * policy change costs nothing on nodes it does not concern.
 */
public final class NodeRuleset {

  /**
   * A local pod and the policies that select it, sorted by policy key.
   *
   * @param ingress policies with type Ingress that select it (empty: it is not isolated for
   *     ingress)
   */
  public record LocalPod(NetpolPod pod, List<CompiledPolicy> ingress, List<CompiledPolicy> egress) {
    public LocalPod {
      ingress = List.copyOf(ingress);
      egress = List.copyOf(egress);
    }

    /** The pod's IP in {@code f}, or null. */
    public String ip(IpFamily f) {
      return f == IpFamily.IPV4 ? pod.ipv4() : pod.ipv6();
    }

    public List<CompiledPolicy> policies(Direction d) {
      return d == Direction.INGRESS ? ingress : egress;
    }
  }

  private final NetpolNode node;
  private final List<LocalPod> pods;
  private final List<CompiledPolicy> policies;
  private final Set<String> chainsNeeded;
  private final Map<IpFamily, Set<String>> localIps =
      new java.util.concurrent.ConcurrentHashMap<>();

  private NodeRuleset(
      NetpolNode node, List<LocalPod> pods, List<CompiledPolicy> policies, Set<String> needed) {
    this.node = node;
    this.pods = pods;
    this.policies = policies;
    this.chainsNeeded = needed;
  }

  /**
   * @param pods any pods; those with {@code nodeName} equal to the node's name and actionable are
   *     local (others are ignored, so the whole cluster's pods may be passed)
   * @param policies every compiled policy of the cluster (or any superset of those selecting a
   *     local pod)
   */
  public static NodeRuleset of(
      NetpolNode node, Collection<NetpolPod> pods, Collection<CompiledPolicy> policies) {
    Map<String, NetpolPod> local = new TreeMap<>();
    for (NetpolPod raw : pods) {
      if (!node.name().equals(raw.nodeName())) continue;
      NetpolPod p = ClusterView.canonical(raw);
      if (p.actionable()) local.put(p.key(), p);
    }
    List<CompiledPolicy> sorted = new ArrayList<>(policies);
    sorted.sort(Comparator.comparing(CompiledPolicy::key));
    Map<String, List<CompiledPolicy>> in = new TreeMap<>();
    Map<String, List<CompiledPolicy>> out = new TreeMap<>();
    List<CompiledPolicy> used = new ArrayList<>();
    for (CompiledPolicy p : sorted) {
      boolean selects = false;
      for (String key : p.targetsOn(node.name())) {
        if (!local.containsKey(key)) continue; // compiled against an older pod list
        if (p.governs(Direction.INGRESS)) in.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        if (p.governs(Direction.EGRESS)) out.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        selects |= !p.types().isEmpty();
      }
      if (selects) used.add(p);
    }
    List<LocalPod> result = new ArrayList<>();
    Set<String> needed = new HashSet<>();
    for (NetpolPod p : local.values()) {
      LocalPod lp =
          new LocalPod(
              p, in.getOrDefault(p.key(), List.of()), out.getOrDefault(p.key(), List.of()));
      result.add(lp);
      for (IpFamily f : node.families()) {
        if (lp.ip(f) == null) continue;
        for (Direction d : Direction.values()) {
          lp.policies(d).forEach(cp -> needed.add(chainKey(cp, d, f)));
        }
      }
    }
    return new NodeRuleset(node, List.copyOf(result), List.copyOf(used), Set.copyOf(needed));
  }

  private static String chainKey(CompiledPolicy p, Direction d, IpFamily f) {
    return p.key() + "|" + d + "|" + f;
  }

  public NetpolNode node() {
    return node;
  }

  /** Local actionable pods, sorted by key. */
  public List<LocalPod> localPods() {
    return pods;
  }

  /** Local pods with an address in {@code f}: each gets a pod chain in that family. */
  public List<LocalPod> localPods(IpFamily f) {
    return pods.stream().filter(p -> p.ip(f) != null).toList();
  }

  /** The IPs of the local pods in {@code f}. */
  public Set<String> localIps(IpFamily f) {
    return localIps.computeIfAbsent(
        f,
        k -> pods.stream().map(p -> p.ip(k)).filter(ip -> ip != null).collect(Collectors.toSet()));
  }

  /** Policies selecting at least one local pod, sorted by key. */
  public List<CompiledPolicy> policies() {
    return policies;
  }

  /** Whether some local pod chain of family {@code f} jumps to {@code p}'s chain for {@code d}. */
  public boolean needsChain(CompiledPolicy p, Direction d, IpFamily f) {
    return chainsNeeded.contains(chainKey(p, d, f));
  }
}
