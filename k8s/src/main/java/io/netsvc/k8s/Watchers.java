package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.convert.NetpolConvert;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;
import java.util.function.Function;

/**
 * What each feature watches, registered on the member's shared {@link Informers}, and reads of
 * their caches. Every kind is watched in all namespaces and reported as domain records.
 */
public final class Watchers {
  private Watchers() {}

  /*
   * The conversions every feature uses, as one instance each: handlers of a kind that convert with
   * the same instance share each event's records (see Informers.Handler), so a pod event is
   * converted once however many features watch pods.
   */

  public static final Function<Service, ServiceInfo> SERVICE_INFO = Convert::service;
  public static final Function<Node, NodeInfo> NODE_INFO = Convert::node;
  public static final Function<Pod, PodInfo> POD_INFO = Convert::pod;
  public static final Function<EndpointSlice, EndpointSliceInfo> ENDPOINT_SLICE_INFO =
      Convert::endpointSlice;

  /** ServiceLB: Services, Nodes, Pods and EndpointSlices. */
  public static WatchRegistration serviceLb(Informers informers, ServiceLbWatchHandler h) {
    return informers.register(
        List.of(
            new Informers.Handler<>(WatchKind.SERVICES, SERVICE_INFO, h.services()),
            new Informers.Handler<>(WatchKind.NODES, NODE_INFO, h.nodes()),
            new Informers.Handler<>(WatchKind.PODS, POD_INFO, h.pods()),
            new Informers.Handler<>(
                WatchKind.ENDPOINT_SLICES, ENDPOINT_SLICE_INFO, h.endpointSlices())));
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
    return informers.register(List.of(new Informers.Handler<>(WatchKind.NODES, NODE_INFO, h)));
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
