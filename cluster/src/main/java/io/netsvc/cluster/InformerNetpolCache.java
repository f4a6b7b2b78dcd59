package io.netsvc.cluster;

import io.netsvc.actors.netpol.NetpolCache;
import io.netsvc.k8s.NetpolWatchHandler;
import io.netsvc.k8s.WatchKind;
import io.netsvc.k8s.WatchRegistration;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link NetpolCache} over the member's shared informers: one registration on Namespaces, Pods and
 * NetworkPolicies that the member keeps from start to stop, whether or not it hosts the
 * NetworkPolicy singleton, indexed as the entities read it (pods by namespace and by node). The
 * registration also keeps those informers running, so a rebuilt entity always finds them listed.
 */
final class InformerNetpolCache implements NetpolCache, AutoCloseable {
  private final Map<String, NetworkPolicyInfo> policies = new ConcurrentHashMap<>();
  private final Map<String, NamespaceInfo> namespaces = new ConcurrentHashMap<>();
  private final Map<String, Map<String, NetpolPod>> podsByNamespace = new ConcurrentHashMap<>();
  private final Map<String, Map<String, NetpolPod>> podsByNode = new ConcurrentHashMap<>();
  private final WatchRegistration registration;
  private final CompletableFuture<Void> synced;

  InformerNetpolCache(WatchSource<NetpolWatchHandler> source) {
    this.registration =
        source.register(new NetpolWatchHandler(this::namespace, this::pod, this::policy));
    this.synced = registration.synced().toCompletableFuture();
  }

  private void namespace(NamespaceInfo ns, boolean gone) {
    if (gone) namespaces.remove(ns.name());
    else namespaces.put(ns.name(), ns);
  }

  private void policy(NetworkPolicyInfo p, boolean gone) {
    if (gone) policies.remove(p.key());
    else policies.put(p.key(), p);
  }

  private synchronized void pod(NetpolPod p, boolean gone) {
    Map<String, NetpolPod> inNs = podsByNamespace.get(p.namespace());
    NetpolPod before = inNs == null ? null : inNs.get(p.name());
    if (before != null && before.nodeName() != null) {
      Map<String, NetpolPod> onNode = podsByNode.get(before.nodeName());
      if (onNode != null) onNode.remove(p.key());
    }
    if (gone) {
      if (inNs != null) inNs.remove(p.name());
      return;
    }
    podsByNamespace.computeIfAbsent(p.namespace(), n -> new ConcurrentHashMap<>()).put(p.name(), p);
    if (p.nodeName() != null) {
      podsByNode.computeIfAbsent(p.nodeName(), n -> new ConcurrentHashMap<>()).put(p.key(), p);
    }
  }

  @Override
  public boolean synced() {
    return synced.isDone() && !synced.isCompletedExceptionally();
  }

  @Override
  public Optional<NetworkPolicyInfo> policy(String key) {
    return Optional.ofNullable(policies.get(key));
  }

  @Override
  public List<NetworkPolicyInfo> policies() {
    return List.copyOf(policies.values());
  }

  @Override
  public Optional<NamespaceInfo> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  @Override
  public List<NamespaceInfo> namespaces() {
    return List.copyOf(namespaces.values());
  }

  @Override
  public List<NetpolPod> pods(String ns) {
    Map<String, NetpolPod> inNs = podsByNamespace.get(ns);
    return inNs == null ? List.of() : List.copyOf(inNs.values());
  }

  @Override
  public List<NetpolPod> podsOn(String node) {
    Map<String, NetpolPod> onNode = podsByNode.get(node);
    return onNode == null ? List.of() : List.copyOf(onNode.values());
  }

  /**
   * Forgets every record this cache made of {@code kind}'s objects (the informer keeps its own):
   * for the memory benchmark, which weighs them by the heap that goes away. Returns how many.
   */
  synchronized int forget(WatchKind<?> kind) {
    int n = 0;
    if (kind == WatchKind.NAMESPACES) {
      n = namespaces.size();
      namespaces.clear();
    } else if (kind == WatchKind.NETWORK_POLICIES) {
      n = policies.size();
      policies.clear();
    } else if (kind == WatchKind.PODS) {
      n = podsByNamespace.values().stream().mapToInt(Map::size).sum();
      podsByNamespace.clear();
      podsByNode.clear();
    }
    return n;
  }

  @Override
  public void close() {
    registration.close();
  }
}
