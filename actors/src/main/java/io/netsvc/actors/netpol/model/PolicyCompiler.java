package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NetworkPolicy → {@link CompiledPolicy}, following the Kubernetes spec (not kube-router's
 * deviations). Never throws: whatever is wrong with one policy becomes a problem of that policy,
 * and the part it concerns allows nothing, so one bad object cannot stop the others (D9/D10).
 */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /** Compiles against pods and namespaces given as collections (indexes them first). */
  public static CompiledPolicy compile(
      NetworkPolicyInfo policy, Collection<NamespaceInfo> namespaces, Collection<NetpolPod> pods) {
    return compile(policy, ClusterView.of(namespaces, pods));
  }

  /** Compiles against a prebuilt view; build the view once for many policies. */
  public static CompiledPolicy compile(NetworkPolicyInfo policy, ClusterView view) {
    List<String> problems = new ArrayList<>();
    Set<Direction> types = effectiveTypes(policy, problems);
    List<NetpolPod> targets = List.of();
    List<CompiledRule> ingress = List.of();
    List<CompiledRule> egress = List.of();
    try {
      targets = targets(policy, view, problems);
      if (types.contains(Direction.INGRESS)) {
        ingress = rules(policy, Direction.INGRESS, policy.ingress(), targets, view, problems);
      }
      if (types.contains(Direction.EGRESS)) {
        egress = rules(policy, Direction.EGRESS, policy.egress(), targets, view, problems);
      }
    } catch (RuntimeException e) {
      // fail closed: the selected pods stay isolated with no allow rule at all
      problems.add("internal error, enforced as deny-all: " + e);
      ingress = List.of();
      egress = List.of();
    }
    Map<String, List<String>> byNode = new TreeMap<>();
    List<String> keys = new ArrayList<>();
    for (NetpolPod p : targets) {
      keys.add(p.key());
      if (p.nodeName() != null) {
        byNode.computeIfAbsent(p.nodeName(), n -> new ArrayList<>()).add(p.key());
      }
    }
    byNode.replaceAll((n, l) -> List.copyOf(l));
    return new CompiledPolicy(
        policy.namespace(),
        policy.name(),
        types,
        keys,
        byNode,
        ips(targets),
        ingress,
        egress,
        problems);
  }

  /**
   * {@code spec.policyTypes}, or the API server's default when it is absent: Ingress, plus Egress
   * when the policy has egress rules (kube-router assumes Ingress only: D10).
   */
  static Set<Direction> effectiveTypes(NetworkPolicyInfo p, List<String> problems) {
    Set<Direction> out = EnumSet.noneOf(Direction.class);
    if (p.policyTypes().isEmpty()) {
      out.add(Direction.INGRESS);
      if (p.egress() != null && !p.egress().isEmpty()) out.add(Direction.EGRESS);
      return out;
    }
    for (String t : p.policyTypes()) {
      if (Direction.INGRESS.policyType().equals(t)) out.add(Direction.INGRESS);
      else if (Direction.EGRESS.policyType().equals(t)) out.add(Direction.EGRESS);
      else problems.add("unknown policyType \"" + t + "\", ignored");
    }
    return out;
  }

  private static List<NetpolPod> targets(
      NetworkPolicyInfo p, ClusterView view, List<String> problems) {
    List<String> bad = Selectors.problems(p.podSelector());
    if (!bad.isEmpty()) {
      bad.forEach(b -> problems.add("podSelector: " + b + ", the policy selects no pod"));
      return List.of();
    }
    return view.pods(p.namespace()).stream()
        .filter(pod -> Selectors.matches(p.podSelector(), pod.labels()))
        .toList();
  }

  private static List<CompiledRule> rules(
      NetworkPolicyInfo p,
      Direction dir,
      List<Rule> rules,
      List<NetpolPod> targets,
      ClusterView view,
      List<String> problems) {
    if (rules == null) return List.of(); // absent: the direction is denied for the targets
    List<CompiledRule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      out.add(RuleCompiler.compile(p, dir, i, rules.get(i), targets, view, problems));
    }
    return out;
  }

  static FamilyIps ips(Collection<NetpolPod> pods) {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (NetpolPod p : pods) {
      if (p.ipv4() != null) v4.add(p.ipv4());
      if (p.ipv6() != null) v6.add(p.ipv6());
    }
    return new FamilyIps(v4, v6);
  }
}
