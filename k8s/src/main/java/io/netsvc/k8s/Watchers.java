package io.netsvc.k8s;

import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.convert.NetpolConvert;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;

/**
 * What each feature watches, registered on the member's shared {@link Informers}, and reads of
 * their caches. Every kind is watched in all namespaces and reported as domain records.
 */
public final class Watchers {
  private Watchers() {}

  /** ServiceLB: Services, Nodes, Pods and EndpointSlices. */
  public static WatchRegistration serviceLb(Informers informers, ServiceLbWatchHandler h) {
    return informers.register(
        List.of(
            new Informers.Handler<>(WatchKind.SERVICES, Convert::service, h.services()),
            new Informers.Handler<>(WatchKind.NODES, Convert::node, h.nodes()),
            new Informers.Handler<>(WatchKind.PODS, Convert::pod, h.pods()),
            new Informers.Handler<>(
                WatchKind.ENDPOINT_SLICES, Convert::endpointSlice, h.endpointSlices())));
  }

  /**
   * The NetworkPolicy controller: Namespaces, Pods and NetworkPolicies, as records that leave out
   * what the controller does not read (so most pod status churn is dropped before it).
   */
  public static WatchRegistration netpol(Informers informers, NetpolWatchHandler h) {
    return informers.register(
        List.of(
            new Informers.Handler<>(WatchKind.NAMESPACES, NetpolConvert::namespace, h.namespaces()),
            new Informers.Handler<>(WatchKind.PODS, NetpolConvert::pod, h.pods()),
            new Informers.Handler<>(
                WatchKind.NETWORK_POLICIES, NetpolConvert::policy, h.policies())));
  }

  /**
   * Nodes alone, for the cloud-controller stub and the NodeHosts keeper (which run whether
   * ServiceLB is enabled or not).
   */
  public static WatchRegistration nodes(Informers informers, WatchHandler<NodeInfo> h) {
    return informers.register(List.of(new Informers.Handler<>(WatchKind.NODES, Convert::node, h)));
  }

  public static List<ServiceInfo> services(Informers informers) {
    return informers.cached(WatchKind.SERVICES, Convert::service);
  }

  public static List<NodeInfo> nodes(Informers informers) {
    return informers.cached(WatchKind.NODES, Convert::node);
  }

  public static List<PodInfo> pods(Informers informers) {
    return informers.cached(WatchKind.PODS, Convert::pod);
  }
}
