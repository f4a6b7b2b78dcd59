package io.netsvc.actors.netpol;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A member's informer caches as a test sets them: synced, holding what the test put in. */
final class FakeNetpolCache implements NetpolCache {
  final Map<String, NetworkPolicyInfo> policies = new ConcurrentHashMap<>();
  final Map<String, NamespaceInfo> namespaces = new ConcurrentHashMap<>();
  final Map<String, NetpolPod> pods = new ConcurrentHashMap<>();

  FakeNetpolCache with(NetworkPolicyInfo p) {
    policies.put(p.key(), p);
    return this;
  }

  FakeNetpolCache with(NamespaceInfo ns) {
    namespaces.put(ns.name(), ns);
    return this;
  }

  FakeNetpolCache with(NetpolPod p) {
    pods.put(p.key(), p);
    return this;
  }

  @Override
  public boolean synced() {
    return true;
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
    return pods.values().stream().filter(p -> p.namespace().equals(ns)).toList();
  }

  @Override
  public List<NetpolPod> podsOn(String node) {
    return pods.values().stream().filter(p -> node.equals(p.nodeName())).toList();
  }
}
