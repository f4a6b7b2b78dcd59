package io.netsvc.actors.servicelb;

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

  /** Pods other than svclb pods that are bound to {@code node} and hold host ports. */
  List<PodInfo> hostPortPodsOn(String node);
}
