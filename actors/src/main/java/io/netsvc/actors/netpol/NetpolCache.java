package io.netsvc.actors.netpol;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.List;
import java.util.Optional;

/**
 * What this member's informers hold now, for the NetworkPolicy entities. An entity that starts
 * (first message, a restart, a move to another member after a crash) reads its state from here
 * instead of starting from an empty view: a NetworkPolicyActor its policy and the namespaces and
 * pods it reads, a NamespaceActor its labels, pods and the policies that read it, a NodeActor its
 * local pods and the policies it must ask for their fragments. Every controller member keeps these
 * informers running, whether or not it hosts the NetworkPolicy singleton. Must not block.
 */
public interface NetpolCache {
  /** False until Namespaces, Pods and NetworkPolicies have been listed once. */
  boolean synced();

  /** The NetworkPolicy {@code ns/name}. */
  Optional<NetworkPolicyInfo> policy(String key);

  List<NetworkPolicyInfo> policies();

  Optional<NamespaceInfo> namespace(String name);

  List<NamespaceInfo> namespaces();

  /** The pods of namespace {@code ns}. */
  List<NetpolPod> pods(String ns);

  /** The pods bound to {@code node}. */
  List<NetpolPod> podsOn(String node);

  /**
   * No cache: never synced, so entities start empty and wait for their messages (tests of a single
   * actor, members without a Kubernetes client).
   */
  NetpolCache NONE =
      new NetpolCache() {
        @Override
        public boolean synced() {
          return false;
        }

        @Override
        public Optional<NetworkPolicyInfo> policy(String key) {
          return Optional.empty();
        }

        @Override
        public List<NetworkPolicyInfo> policies() {
          return List.of();
        }

        @Override
        public Optional<NamespaceInfo> namespace(String name) {
          return Optional.empty();
        }

        @Override
        public List<NamespaceInfo> namespaces() {
          return List.of();
        }

        @Override
        public List<NetpolPod> pods(String ns) {
          return List.of();
        }

        @Override
        public List<NetpolPod> podsOn(String node) {
          return List.of();
        }
      };
}
