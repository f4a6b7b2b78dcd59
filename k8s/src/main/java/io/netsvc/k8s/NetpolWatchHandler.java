package io.netsvc.k8s;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;

/** What the NetworkPolicy controller's watch reports, one handler per kind. Must not block. */
public record NetpolWatchHandler(
    WatchHandler<NamespaceInfo> namespaces,
    WatchHandler<NetpolPod> pods,
    WatchHandler<NetworkPolicyInfo> policies) {}
