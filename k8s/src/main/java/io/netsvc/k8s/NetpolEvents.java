package io.netsvc.k8s;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;

/** What the NetworkPolicy controller's watches report, as records. Must not block. */
public interface NetpolEvents {
  void namespaceChanged(NamespaceInfo n);

  void namespaceDeleted(NamespaceInfo lastKnown);

  void podChanged(NetpolPod p);

  void podDeleted(NetpolPod lastKnown);

  void policyChanged(NetworkPolicyInfo p);

  void policyDeleted(NetworkPolicyInfo lastKnown);
}
