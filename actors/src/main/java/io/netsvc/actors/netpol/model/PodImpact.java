package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a change can alter what a policy compiles to, so that a pod event recompiles only the
 * policies it concerns rather than every policy reading the namespace. A pod counts when the policy
 * selects it as a target or a peer before or after the change, or when it carries a named port that
 * the policy resolves against pods it does not select (an egress rule with no peers or with an
 * ipBlock) and that port, or the pod's IPs, changed. A pod that is not actionable (no IP, host
 * network, finished) is not in any compile, so it counts as selected by nothing. Errs towards
 * recompiling: a "true" that changes nothing costs one compile, a wrong "false" a stale rule.
 */
public final class PodImpact {
  private PodImpact() {}

  /**
   * {@code before} and {@code after} are the pod (null: absent) in a namespace whose labels are
   * {@code nsLabels} (with the name label).
   */
  public static boolean matters(
      NetworkPolicyInfo policy, Map<String, String> nsLabels, NetpolPod before, NetpolPod after) {
    if (selected(policy, nsLabels, before) || selected(policy, nsLabels, after)) return true;
    Set<String> names = namesResolvedOnAnyPod(policy);
    if (names.isEmpty()) return false;
    return !Objects.equals(namedPorts(names, before), namedPorts(names, after));
  }

  /** Whether a namespace's new labels can change what the policy compiles to. */
  public static boolean labelsMatter(
      NetworkPolicyInfo policy, Map<String, String> before, Map<String, String> after) {
    for (Peer peer : peers(policy)) {
      SelectorInfo ns = peer.namespaceSelector();
      if (ns != null && Selectors.matches(ns, before) != Selectors.matches(ns, after)) return true;
    }
    return false;
  }

  /** The pod is a target of the policy or a peer of one of its selector peers. */
  static boolean selected(NetworkPolicyInfo p, Map<String, String> nsLabels, NetpolPod pod) {
    if (pod == null || !pod.actionable()) return false;
    boolean own = pod.namespace().equals(p.namespace());
    if (own && Selectors.matches(p.podSelector(), pod.labels())) return true;
    for (Peer peer : peers(p)) {
      if (peer.ipBlock() != null) continue;
      SelectorInfo pods = peer.podSelector();
      SelectorInfo ns = peer.namespaceSelector();
      if (ns == null) {
        if (own && pods != null && Selectors.matches(pods, pod.labels())) return true;
      } else if (Selectors.matches(ns, nsLabels)
          && (pods == null || Selectors.matches(pods, pod.labels()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Named ports of egress rules that are looked up on pods the policy does not select: a rule with
   * no peers (every pod) or with an ipBlock peer (the pods inside the block). Ingress names are
   * looked up on the targets, and egress names of selector peers on those peers: both are selected
   * pods already.
   */
  static Set<String> namesResolvedOnAnyPod(NetworkPolicyInfo p) {
    Set<String> out = new HashSet<>();
    if (p.egress() == null) return out;
    for (Rule r : p.egress()) {
      boolean wide = r.peers().isEmpty() || r.peers().stream().anyMatch(x -> x.ipBlock() != null);
      if (!wide) continue;
      for (NetworkPolicyInfo.Port port : r.ports()) {
        String n = port.port();
        if (n != null && !n.chars().allMatch(Character::isDigit)) out.add(n);
      }
    }
    return out;
  }

  /** What of the pod a named-port lookup of {@code names} sees; null when it sees nothing. */
  private static List<Object> namedPorts(Set<String> names, NetpolPod pod) {
    if (pod == null || !pod.actionable()) return null;
    List<Object> out = new ArrayList<>();
    for (NetpolPod.NamedPort np : pod.namedPorts()) {
      if (names.contains(np.name())) out.add(np);
    }
    if (out.isEmpty()) return null;
    out.add(pod.ipv4());
    out.add(pod.ipv6());
    return out;
  }

  private static List<Peer> peers(NetworkPolicyInfo p) {
    List<Peer> out = new ArrayList<>();
    for (List<Rule> rules : Arrays.asList(p.ingress(), p.egress())) {
      if (rules == null) continue;
      for (Rule r : rules) out.addAll(r.peers());
    }
    return out;
  }
}
