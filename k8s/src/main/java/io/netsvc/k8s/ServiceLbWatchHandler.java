package io.netsvc.k8s;

import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;

/** What ServiceLB's watch reports, one handler per kind. Handlers must not block. */
public record ServiceLbWatchHandler(
    WatchHandler<ServiceInfo> services,
    WatchHandler<NodeInfo> nodes,
    WatchHandler<PodInfo> pods,
    WatchHandler<EndpointSliceInfo> endpointSlices) {}
