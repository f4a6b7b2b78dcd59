package io.netsvc.actors.netpol;

import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.List;

/** Which namespaces a policy's compilation reads. */
final class NetpolNeeds {
  private NetpolNeeds() {}

  /**
   * True when peers can come from any namespace: a namespace selector, an egress rule with named
   * ports and no peers (the name is resolved against every pod), or an ipBlock peer with named
   * ports (the pods inside the block). Otherwise only the policy's own namespace matters.
   */
  static boolean allNamespaces(NetworkPolicyInfo p) {
    return any(p.ingress()) || any(p.egress());
  }

  /**
   * True when the policy can select peers by named port in any namespace (an egress rule with named
   * ports and no peers, or an ipBlock peer with named ports): every namespace's pods count.
   */
  static boolean everyNamespace(NetworkPolicyInfo p) {
    return namedAnywhere(p.ingress()) || namedAnywhere(p.egress());
  }

  /** The namespace selectors of the policy's peers. */
  static List<io.netsvc.k8s.records.netpol.SelectorInfo> namespaceSelectors(NetworkPolicyInfo p) {
    List<io.netsvc.k8s.records.netpol.SelectorInfo> out = new java.util.ArrayList<>();
    for (List<NetworkPolicyInfo.Rule> rules : java.util.Arrays.asList(p.ingress(), p.egress())) {
      if (rules == null) continue;
      for (NetworkPolicyInfo.Rule r : rules) {
        for (NetworkPolicyInfo.Peer peer : r.peers()) {
          if (peer.namespaceSelector() != null) out.add(peer.namespaceSelector());
        }
      }
    }
    return out;
  }

  private static boolean namedAnywhere(List<NetworkPolicyInfo.Rule> rules) {
    if (rules == null) return false;
    for (NetworkPolicyInfo.Rule r : rules) {
      boolean named = r.ports().stream().anyMatch(NetpolNeeds::isNamed);
      if (!named) continue;
      if (r.peers().isEmpty()) return true;
      if (r.peers().stream().anyMatch(peer -> peer.ipBlock() != null)) return true;
    }
    return false;
  }

  private static boolean any(List<NetworkPolicyInfo.Rule> rules) {
    if (rules == null) return false;
    for (NetworkPolicyInfo.Rule r : rules) {
      boolean named = r.ports().stream().anyMatch(NetpolNeeds::isNamed);
      if (named && r.peers().isEmpty()) return true;
      for (NetworkPolicyInfo.Peer peer : r.peers()) {
        if (peer.namespaceSelector() != null) return true;
        if (peer.ipBlock() != null && named) return true;
      }
    }
    return false;
  }

  private static boolean isNamed(NetworkPolicyInfo.Port port) {
    return port.port() != null && !port.port().chars().allMatch(Character::isDigit);
  }
}
