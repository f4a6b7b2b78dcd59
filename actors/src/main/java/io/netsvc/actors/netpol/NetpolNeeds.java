package io.netsvc.actors.netpol;

import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.List;

/**
 * Which namespaces a policy's compilation reads (it subscribes to them). Which of their pod events
 * make it compile again is narrower: {@link io.netsvc.actors.netpol.model.PodImpact}.
 */
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
