package io.netsvc.actors.servicelb;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.List;
import java.util.Optional;

/**
 * What this member's informers hold now. A ServiceLB entity that starts (first message, a restart,
 * a move to another member after a crash) reads its whole state from here instead of starting from
 * an empty view, so it never writes a status or a DaemonSet from half the facts. Every controller
 * member keeps these informers running, whether or not it hosts the ServiceLB singleton.
 */
public interface ServiceLbCache {
  /** False until every kind below has been listed once; entities then wait for their messages. */
  boolean synced();

  /** The Service {@code ns/name}. */
  Optional<ServiceInfo> service(String key);

  List<NodeInfo> nodes();

  /** The svclb pods of the Service {@code ns/name}. */
  List<PodInfo> svclbPods(String serviceKey);

  /** The EndpointSlices of the Service {@code ns/name}. */
  List<EndpointSliceInfo> endpointSlices(String serviceKey);

  /** Every svclb DaemonSet in the svclb namespace. */
  List<SvclbDaemonSetInfo> daemonSets();

  /**
   * The svclb DaemonSet {@code ns/name}, if cached (a starting ServiceActor looks up its own: a
   * pass over {@link #daemonSets} per Service made a burst of new Services O(Services²)).
   */
  default Optional<SvclbDaemonSetInfo> daemonSet(String ns, String name) {
    return daemonSets().stream()
        .filter(d -> ns.equals(d.namespace()) && name.equals(d.name()))
        .findFirst();
  }

  /** Pods other than svclb pods that are bound to {@code node} and hold host ports. */
  List<PodInfo> hostPortPodsOn(String node);

  /** Every Service that wants a load balancer from ServiceLB (a pool re-learns its Services). */
  default List<ServiceInfo> loadBalancers() {
    return List.of();
  }

  /**
   * True when the svclb namespace holds a DaemonSet that applying {@code desired} would not change
   * (same spec, its labels and annotations set): a rebuilt ServiceActor then does not apply it.
   */
  default boolean deployed(DaemonSet desired) {
    return false;
  }

  /** A member without informers: never synced, so entities wait for their messages. */
  ServiceLbCache NONE =
      new ServiceLbCache() {
        @Override
        public boolean synced() {
          return false;
        }

        @Override
        public Optional<ServiceInfo> service(String key) {
          return Optional.empty();
        }

        @Override
        public List<NodeInfo> nodes() {
          return List.of();
        }

        @Override
        public List<PodInfo> svclbPods(String serviceKey) {
          return List.of();
        }

        @Override
        public List<EndpointSliceInfo> endpointSlices(String serviceKey) {
          return List.of();
        }

        @Override
        public List<SvclbDaemonSetInfo> daemonSets() {
          return List.of();
        }

        @Override
        public List<PodInfo> hostPortPodsOn(String node) {
          return List.of();
        }
      };
}
