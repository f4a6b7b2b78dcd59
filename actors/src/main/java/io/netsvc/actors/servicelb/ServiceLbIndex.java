package io.netsvc.actors.servicelb;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The controller's indexes and its routing rules: which entity owns which fact. Not thread-safe;
 * owned by {@link ServiceLbController}.
 */
final class ServiceLbIndex {
  private final ClusterSharding sharding;
  private final String lbNamespace;

  /** LoadBalancer Services (and those still holding our finalizer), by ns/name. */
  private final Map<String, ServiceInfo> lb = new TreeMap<>();

  /**
   * How many of {@link #lb} are in each pool: a Service event asks whether its pool is new, which a
   * pass over every Service made O(Services) per event.
   */
  private final Map<String, Integer> poolUse = new HashMap<>();

  private final Map<String, NodeInfo> nodes = new TreeMap<>();

  /** svclb pods and EndpointSlices by the Service they belong to, kept for replay. */
  private final Map<String, Map<String, PodInfo>> svclbPods = new HashMap<>();

  private final Map<String, Map<String, EndpointSliceInfo>> slices = new HashMap<>();

  /** Ordinary pods holding host ports: pod key → node it was reported on. */
  private final Map<String, String> hostPortPods = new HashMap<>();

  /** Ordinary pods seen before going live. */
  private final Map<String, PodInfo> pendingPods = new HashMap<>();

  /**
   * False until the initial lists are in: entities then start with everything known at once, so a
   * restart never sees a Service without its svclb pods (and clears its status).
   */
  private boolean live;

  ServiceLbIndex(ClusterSharding sharding, String lbNamespace) {
    this.sharding = sharding;
    this.lbNamespace = lbNamespace;
  }

  void service(ServiceInfo s, boolean deleted) {
    String key = s.key();
    boolean relevant = !deleted && (s.wantsLoadBalancer() || s.hasCleanupFinalizer());
    boolean known = lb.containsKey(key);
    if (deleted) {
      if (known) {
        removeLb(key);
        if (live) service(key).tell(new ServiceActor.Deleted(s));
      }
      return;
    }
    if (!relevant && !known) return;
    if (live) service(key).tell(new ServiceActor.Changed(s));
    if (!relevant) {
      removeLb(key);
      return;
    }
    String pool = poolOf(s);
    boolean newPool = !PoolActor.DEFAULT.equals(pool) && !poolUse.containsKey(pool);
    removeLb(key);
    lb.put(key, s);
    poolUse.merge(pool, 1, Integer::sum);
    if (newPool && live) {
      sharding
          .entityRefFor(PoolActor.TYPE_KEY, pool)
          .tell(new PoolActor.NodesUpdated(new ArrayList<>(nodes.values())));
    }
    if (!known && live) replay(key);
  }

  /** The initial lists are in: start every entity with all that is known. */
  void goLive() {
    live = true;
    // Pods first: they always win their ports, so the ledgers should know them before claims.
    pendingPods.values().forEach(p -> hostPorts(p, false));
    pendingPods.clear();
    lb.forEach(
        (key, s) -> {
          service(key).tell(new ServiceActor.Changed(s));
          replay(key);
        });
    publishNodes();
  }

  boolean live() {
    return live;
  }

  /** A Service just became ours: hand it what was seen before. */
  private void replay(String key) {
    var ref = service(key);
    svclbPods
        .getOrDefault(key, Map.of())
        .values()
        .forEach(p -> ref.tell(new ServiceActor.SvclbPod(p, false)));
    slices
        .getOrDefault(key, Map.of())
        .values()
        .forEach(e -> ref.tell(new ServiceActor.Endpoints(e, false)));
  }

  void node(NodeInfo n, boolean deleted) {
    if (deleted) nodes.remove(n.name());
    else nodes.put(n.name(), n);
  }

  void publishNodes() {
    if (!live) return;
    List<NodeInfo> all = new ArrayList<>(nodes.values());
    for (String pool : poolIds()) {
      sharding.entityRefFor(PoolActor.TYPE_KEY, pool).tell(new PoolActor.NodesUpdated(all));
    }
  }

  void pod(PodInfo p, boolean deleted) {
    String svcName = p.labels().get(SvclbNames.SVCNAME_LABEL);
    String svcNs = p.labels().get(SvclbNames.SVCNAMESPACE_LABEL);
    if (lbNamespace.equals(p.namespace()) && svcName != null && svcNs != null) {
      String key = svcNs + "/" + svcName;
      Map<String, PodInfo> pods = svclbPods.computeIfAbsent(key, k -> new HashMap<>());
      if (deleted) pods.remove(p.name());
      else pods.put(p.name(), p);
      if (pods.isEmpty()) svclbPods.remove(key);
      if (live && lb.containsKey(key)) service(key).tell(new ServiceActor.SvclbPod(p, deleted));
      return;
    }
    if (!live) {
      if (deleted) pendingPods.remove(p.key());
      else pendingPods.put(p.key(), p);
      return;
    }
    hostPorts(p, deleted);
  }

  private void hostPorts(PodInfo p, boolean deleted) {
    boolean holds =
        !deleted
            && !p.deleting()
            && p.nodeName() != null
            && !p.hostPorts().isEmpty()
            && !"Succeeded".equals(p.phase())
            && !"Failed".equals(p.phase());
    String before = hostPortPods.get(p.key());
    if (before != null && (!holds || !before.equals(p.nodeName()))) {
      node(before).tell(new NodeActor.PodPorts(p.key(), Set.of()));
      hostPortPods.remove(p.key());
    }
    if (holds) {
      hostPortPods.put(p.key(), p.nodeName());
      Set<PortKey> ports =
          p.hostPorts().stream()
              .map((HostPortUse h) -> new PortKey(h.port(), h.protocol()))
              .collect(Collectors.toCollection(TreeSet::new));
      node(p.nodeName()).tell(new NodeActor.PodPorts(p.key(), ports));
    }
  }

  void slice(EndpointSliceInfo e, boolean deleted) {
    if (e.serviceName() == null) return;
    String key = e.namespace() + "/" + e.serviceName();
    Map<String, EndpointSliceInfo> bySvc = slices.computeIfAbsent(key, k -> new HashMap<>());
    if (deleted) bySvc.remove(e.name());
    else bySvc.put(e.name(), e);
    if (bySvc.isEmpty()) slices.remove(key);
    if (live && lb.containsKey(key)) service(key).tell(new ServiceActor.Endpoints(e, deleted));
  }

  /** Level-triggered pass over everything: lost messages and rebuilt entities catch up. */
  void resync() {
    if (!live) return;
    lb.forEach(
        (key, s) -> {
          var ref = service(key);
          ref.tell(new ServiceActor.Changed(s));
          ref.tell(new ServiceActor.Resync());
        });
    publishNodes();
  }

  List<String> lbKeys() {
    return new ArrayList<>(lb.keySet());
  }

  List<String> poolIds() {
    Set<String> pools = new TreeSet<>(poolUse.keySet());
    pools.add(PoolActor.DEFAULT);
    return new ArrayList<>(pools);
  }

  private static String poolOf(ServiceInfo s) {
    return PoolActor.idFor(s.labels().get(SvclbNames.LBPOOL_LABEL));
  }

  private void removeLb(String key) {
    ServiceInfo was = lb.remove(key);
    if (was != null) poolUse.computeIfPresent(poolOf(was), (p, n) -> n == 1 ? null : n - 1);
  }

  Set<String> wantedDaemonSets() {
    return lb.values().stream()
        .map(s -> SvclbNames.daemonSetName(s.name(), s.uid()))
        .collect(Collectors.toSet());
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ServiceActor.Command> service(
      String key) {
    return sharding.entityRefFor(ServiceActor.TYPE_KEY, key);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NodeActor.Command> node(
      String name) {
    return sharding.entityRefFor(NodeActor.TYPE_KEY, name);
  }
}
