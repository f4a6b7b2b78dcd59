package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.Eligibility;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.servicelb.model.Tolerations;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a node's ledger recovers from the member's caches when its NodeActor starts: the Services
 * deployed on the node (a svclb DaemonSet's node affinity records the nodes whose ledger granted
 * it; without affinity it runs on every eligible node) and the ordinary pods holding host ports.
 */
final class NodeRecovery {
  /** A Service deployed on this node, with the host ports its svclb pod holds. */
  record Holder(String serviceKey, String creationTimestamp, Set<PortKey> ports) {}

  private final String node;
  private final ServiceLbCache cache;

  NodeRecovery(String node, ServiceLbCache cache) {
    this.node = node;
    this.cache = cache;
  }

  boolean synced() {
    return cache.synced();
  }

  /** The Services whose svclb DaemonSet runs on this node, in the API's current state. */
  List<Holder> deployed() {
    List<Holder> out = new ArrayList<>();
    List<NodeInfo> nodes = null;
    for (SvclbDaemonSetInfo ds : cache.daemonSets()) {
      ServiceInfo svc =
          ds.serviceKey() == null ? null : cache.service(ds.serviceKey()).orElse(null);
      // an orphan DaemonSet (its Service gone or no longer a LoadBalancer) is deleted, not held
      if (svc == null || !svc.wantsLoadBalancer() || ds.hostPorts().isEmpty()) continue;
      boolean here;
      if (!ds.nodes().isEmpty()) {
        here = ds.nodes().contains(node);
      } else {
        if (nodes == null) nodes = cache.nodes();
        here = eligibleHere(svc, nodes);
      }
      if (here) out.add(new Holder(svc.key(), svc.creationTimestamp(), ports(ds.hostPorts())));
    }
    return out;
  }

  /** Which of {@code serviceKeys} are still deployed on this node. */
  Set<String> deployedHere(Collection<String> serviceKeys) {
    Set<String> out = new TreeSet<>();
    for (Holder h : deployed()) if (serviceKeys.contains(h.serviceKey())) out.add(h.serviceKey());
    return out;
  }

  /** pod ns/name → host ports, for the pods on this node that hold them now. */
  Map<String, Set<PortKey>> hostPortPods() {
    Map<String, Set<PortKey>> out = new TreeMap<>();
    for (PodInfo p : cache.hostPortPodsOn(node)) {
      boolean holds =
          node.equals(p.nodeName())
              && !p.deleting()
              && !p.hostPorts().isEmpty()
              && !"Succeeded".equals(p.phase())
              && !"Failed".equals(p.phase());
      if (holds) out.put(p.key(), ports(p.hostPorts()));
    }
    return out;
  }

  private boolean eligibleHere(ServiceInfo svc, List<NodeInfo> nodes) {
    String pool = svc.labels().getOrDefault(SvclbNames.LBPOOL_LABEL, "");
    try {
      return Eligibility.eligibleNodes(nodes, pool, Tolerations.forService(svc)).contains(node);
    } catch (RuntimeException invalidTolerations) {
      return false; // an invalid Service gets no DaemonSet; its ServiceActor removes this one
    }
  }

  private static Set<PortKey> ports(List<HostPortUse> uses) {
    return uses.stream()
        .map(h -> new PortKey(h.port(), h.protocol() == null ? "TCP" : h.protocol()))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
