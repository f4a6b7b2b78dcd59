package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One ingress or egress rule: peers OR together (pod selector within the policy's namespace,
 * namespace selector, both as AND, or an ipBlock), then ports. Named ports follow the spec, not
 * kube-router: ingress names are looked up on the selected pods, egress names on the pods the peers
 * cover in any namespace (every pod when the rule has no peers, D7; pods inside an ipBlock, D8).
 */
final class RuleCompiler {
  private RuleCompiler() {}

  static CompiledRule compile(
      NetworkPolicyInfo policy,
      Direction dir,
      int index,
      Rule rule,
      List<NetpolPod> targets,
      ClusterView view,
      List<String> problems) {
    String where = dir.word() + " rule " + index;
    boolean anyPeer = rule.peers().isEmpty();
    boolean podPeers = false;
    List<NetpolPod> peerPods = new ArrayList<>();
    Set<String> peerKeys = new HashSet<>();
    List<CidrPeer> cidrs = new ArrayList<>();
    for (int k = 0; k < rule.peers().size(); k++) {
      Peer peer = rule.peers().get(k);
      String w = where + " peer " + k;
      boolean selectors = peer.podSelector() != null || peer.namespaceSelector() != null;
      if (peer.ipBlock() != null) {
        if (selectors) {
          problems.add(w + ": ipBlock together with a selector, the peer allows nothing");
          continue;
        }
        CidrPeer c = IpBlocks.compile(k, peer.ipBlock(), w, problems);
        if (c != null) cidrs.add(c);
      } else if (!selectors) {
        problems.add(w + ": no podSelector, namespaceSelector or ipBlock, the peer allows nothing");
      } else if (selectorsValid(peer, w, problems)) {
        podPeers = true;
        for (NetpolPod p : select(policy.namespace(), peer, view)) {
          if (peerKeys.add(p.key())) peerPods.add(p);
        }
      }
    }
    PortResolver.Universe universe =
        dir == Direction.INGRESS ? onPods(targets) : egressUniverse(anyPeer, peerKeys, cidrs);
    PortResolver.Result ports = PortResolver.resolve(rule.ports(), view, universe, where, problems);
    return new CompiledRule(
        index,
        anyPeer,
        podPeers,
        PolicyCompiler.ips(peerPods),
        cidrs,
        rule.ports().isEmpty(),
        ports.ports(),
        ports.named());
  }

  private static boolean selectorsValid(Peer peer, String w, List<String> problems) {
    boolean ok = true;
    for (SelectorInfo s : new SelectorInfo[] {peer.podSelector(), peer.namespaceSelector()}) {
      if (s == null) continue;
      for (String p : Selectors.problems(s)) {
        problems.add(w + ": " + p + ", the peer allows nothing");
        ok = false;
      }
    }
    return ok;
  }

  /** Pods a selector peer picks: policy namespace unless a namespaceSelector is given. */
  static List<NetpolPod> select(String policyNs, Peer peer, ClusterView view) {
    SelectorInfo pods = peer.podSelector();
    if (peer.namespaceSelector() == null) {
      return view.pods(policyNs).stream().filter(p -> Selectors.matches(pods, p.labels())).toList();
    }
    List<NetpolPod> out = new ArrayList<>();
    for (String ns : view.namespaces()) {
      if (!Selectors.matches(peer.namespaceSelector(), view.namespaceLabels(ns))) continue;
      for (NetpolPod p : view.pods(ns)) {
        if (pods == null || Selectors.matches(pods, p.labels())) out.add(p);
      }
    }
    return out;
  }

  /** Ingress named ports: on the selected pods themselves. */
  private static PortResolver.Universe onPods(List<NetpolPod> pods) {
    Set<String> keys = new HashSet<>();
    pods.forEach(p -> keys.add(p.key()));
    return (pod, family, ip) -> keys.contains(pod.key());
  }

  /** Egress named ports: on every pod the rule's peers cover, in any namespace. */
  private static PortResolver.Universe egressUniverse(
      boolean anyPeer, Set<String> peerKeys, List<CidrPeer> cidrs) {
    return (pod, family, ip) -> {
      if (anyPeer || peerKeys.contains(pod.key())) return true;
      for (CidrPeer c : cidrs) {
        if (c.family() == family && IpBlocks.covers(c, ip)) return true;
      }
      return false;
    };
  }
}
