package io.netsvc.cluster;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.servicelb.ServiceLbCache;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.WatchKind;
import io.netsvc.k8s.WatchRegistration;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@link ServiceLbCache} over the member's {@link Informers}. A controller member registers it at
 * start and keeps it until it stops, so the Service, Node, Pod, EndpointSlice and svclb DaemonSet
 * informers run (and have listed) on every controller member, not only where the ServiceLB
 * singleton is: a member that takes over shards after a crash rebuilds its entities from synced
 * caches. Its handlers keep the objects indexed the way entities ask for them (by Service, by
 * node), so a starting entity costs lookups, not a pass over every pod.
 */
final class InformerServiceLbCache implements ServiceLbCache, AutoCloseable {
  /** The kinds it reads; all must serve for {@link #synced}. */
  private static final Set<WatchKind<?>> KINDS =
      Set.of(
          WatchKind.SERVICES,
          WatchKind.NODES,
          WatchKind.PODS,
          WatchKind.ENDPOINT_SLICES,
          WatchKind.SVCLB_DAEMON_SETS);

  private final Informers informers;
  private final String lbNamespace;
  private final WatchRegistration registration;
  private volatile boolean synced;

  private final Map<String, ServiceInfo> services = new HashMap<>();
  private final Map<String, NodeInfo> nodes = new TreeMap<>();
  private final Map<String, DaemonSet> daemonSets = new TreeMap<>();
  private final Map<String, SvclbDaemonSetInfo> daemonSetInfos = new TreeMap<>();

  /** The svclb pods and EndpointSlices by the Service they belong to, each by name. */
  private final Map<String, Map<String, PodInfo>> svclbPods = new HashMap<>();

  private final Map<String, Map<String, EndpointSliceInfo>> slices = new HashMap<>();

  /** Other pods that hold host ports, by node, each by ns/name. */
  private final Map<String, Map<String, PodInfo>> hostPortPods = new HashMap<>();

  /** Where each indexed pod or slice was put, so an update or deletion finds it. */
  private final Map<String, Placed> placed = new HashMap<>();

  private record Placed(Map<String, Map<String, ?>> index, String group, String name) {}

  private InformerServiceLbCache(Informers informers, String lbNamespace) {
    this.informers = informers;
    this.lbNamespace = lbNamespace;
    this.registration =
        informers.register(
            List.of(
                new Informers.Handler<>(
                    WatchKind.SERVICES, Convert::service, keyed(services, ServiceInfo::key)),
                new Informers.Handler<>(
                    WatchKind.NODES, Convert::node, keyed(nodes, NodeInfo::name)),
                new Informers.Handler<>(WatchKind.PODS, Convert::pod, this::pod),
                new Informers.Handler<>(
                    WatchKind.ENDPOINT_SLICES, Convert::endpointSlice, this::slice),
                new Informers.Handler<>(
                    WatchKind.SVCLB_DAEMON_SETS, Function.identity(), this::daemonSet)));
    registration.synced().thenRun(() -> synced = true);
  }

  /** Registers on {@code informers} (starting the informers nobody runs yet). */
  static InformerServiceLbCache start(Informers informers, String lbNamespace) {
    return new InformerServiceLbCache(informers, lbNamespace);
  }

  private <R> WatchHandler<R> keyed(Map<String, R> map, Function<R, String> key) {
    return (r, deleted) -> {
      synchronized (this) {
        if (deleted) map.remove(key.apply(r));
        else map.put(key.apply(r), r);
      }
    };
  }

  /** Kept whole (to compare with a rendering) and converted once (for the ledgers). */
  private synchronized void daemonSet(DaemonSet d, boolean deleted) {
    String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    if (deleted) {
      daemonSets.remove(key);
      daemonSetInfos.remove(key);
    } else {
      daemonSets.put(key, d);
      daemonSetInfos.put(key, Convert.svclbDaemonSet(d));
    }
  }

  private synchronized void pod(PodInfo p, boolean deleted) {
    unplace(p.key());
    if (deleted) return;
    String svcName = p.labels().get(SvclbNames.SVCNAME_LABEL);
    String svcNs = p.labels().get(SvclbNames.SVCNAMESPACE_LABEL);
    if (lbNamespace.equals(p.namespace()) && svcName != null && svcNs != null) {
      place(p.key(), svclbPods, svcNs + "/" + svcName, p.name(), p);
    } else if (holdsHostPorts(p)) {
      place(p.key(), hostPortPods, p.nodeName(), p.key(), p);
    }
  }

  /** As the controller counts a pod's host ports: bound, not ending, not finished. */
  private static boolean holdsHostPorts(PodInfo p) {
    return !p.deleting()
        && p.nodeName() != null
        && !p.hostPorts().isEmpty()
        && !"Succeeded".equals(p.phase())
        && !"Failed".equals(p.phase());
  }

  private synchronized void slice(EndpointSliceInfo e, boolean deleted) {
    String key = "slice " + e.namespace() + "/" + e.name();
    unplace(key);
    if (deleted || e.serviceName() == null) return;
    place(key, slices, e.namespace() + "/" + e.serviceName(), e.name(), e);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // each index holds one record type
  private <R> void place(
      String key, Map<String, Map<String, R>> index, String group, String name, R r) {
    index.computeIfAbsent(group, g -> new TreeMap<>()).put(name, r);
    placed.put(key, new Placed((Map) index, group, name));
  }

  private void unplace(String key) {
    Placed was = placed.remove(key);
    if (was == null) return;
    Map<String, ?> group = was.index().get(was.group());
    if (group == null) return;
    group.remove(was.name());
    if (group.isEmpty()) was.index().remove(was.group());
  }

  /**
   * Every kind has listed, and none is down now (not re-listing, not without a watch for long): an
   * entity never rebuilds or "repairs" itself from a cache that lags an outage.
   */
  @Override
  public boolean synced() {
    return synced && Collections.disjoint(informers.notReady(), KINDS);
  }

  @Override
  public synchronized Optional<ServiceInfo> service(String key) {
    return Optional.ofNullable(services.get(key));
  }

  @Override
  public synchronized List<NodeInfo> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public synchronized List<PodInfo> svclbPods(String serviceKey) {
    return List.copyOf(svclbPods.getOrDefault(serviceKey, Map.of()).values());
  }

  @Override
  public synchronized List<EndpointSliceInfo> endpointSlices(String serviceKey) {
    return List.copyOf(slices.getOrDefault(serviceKey, Map.of()).values());
  }

  @Override
  public synchronized List<SvclbDaemonSetInfo> daemonSets() {
    return daemonSetInfos.values().stream().filter(d -> lbNamespace.equals(d.namespace())).toList();
  }

  @Override
  public synchronized Optional<SvclbDaemonSetInfo> daemonSet(String ns, String name) {
    return lbNamespace.equals(ns)
        ? Optional.ofNullable(daemonSetInfos.get(ns + "/" + name))
        : Optional.empty();
  }

  @Override
  public synchronized List<PodInfo> hostPortPodsOn(String node) {
    return List.copyOf(hostPortPods.getOrDefault(node, Map.of()).values());
  }

  @Override
  public synchronized List<ServiceInfo> loadBalancers() {
    return services.values().stream().filter(ServiceInfo::wantsLoadBalancer).toList();
  }

  @Override
  public synchronized boolean deployed(DaemonSet desired) {
    DaemonSet live =
        daemonSets.get(
            desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName());
    return live != null && FabricServiceLbApi.unchanged(live, desired);
  }

  /**
   * Forgets every record this cache made of {@code kind}'s objects (the informer keeps its own):
   * for the memory benchmark, which weighs them by the heap that goes away. Returns how many.
   */
  synchronized int forget(WatchKind<?> kind) {
    int n = 0;
    if (kind == WatchKind.SERVICES) {
      n = services.size();
      services.clear();
    } else if (kind == WatchKind.NODES) {
      n = nodes.size();
      nodes.clear();
    } else if (kind == WatchKind.SVCLB_DAEMON_SETS) {
      n = daemonSets.size();
      daemonSets.clear();
      daemonSetInfos.clear();
    } else if (kind == WatchKind.PODS || kind == WatchKind.ENDPOINT_SLICES) {
      boolean slice = kind == WatchKind.ENDPOINT_SLICES;
      for (String key : List.copyOf(placed.keySet())) {
        if (key.startsWith("slice ") != slice) continue;
        unplace(key);
        n++;
      }
    }
    return n;
  }

  /** Removes the handlers; informers nobody else uses stop. */
  @Override
  public void close() {
    registration.close();
  }
}
