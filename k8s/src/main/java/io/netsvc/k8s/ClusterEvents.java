package io.netsvc.k8s;

import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;

/** What the watches report, as domain records. Implementations must not block. */
public interface ClusterEvents {
  void serviceChanged(ServiceInfo s);

  void serviceDeleted(ServiceInfo lastKnown);

  void nodeChanged(NodeInfo n);

  void nodeDeleted(NodeInfo lastKnown);

  void podChanged(PodInfo p);

  void podDeleted(PodInfo lastKnown);

  void endpointSliceChanged(EndpointSliceInfo e);

  void endpointSliceDeleted(EndpointSliceInfo lastKnown);
}
