package io.netsvc.sim.api;

import java.util.List;
import java.util.Set;

/**
 * How a strategic-merge patch treats a list, from the {@code patchStrategy}/{@code patchMergeKey}
 * tags of the Kubernetes Go types the sim serves. Lists without a tag are atomic (the patch
 * replaces them), as in Kubernetes.
 */
final class PatchMeta {
  /** A list's merge behaviour; {@code mergeKey} is set only for {@link Kind#MERGE_BY_KEY}. */
  record ListStrategy(Kind kind, String mergeKey) {
    enum Kind {
      ATOMIC,
      MERGE_PRIMITIVES,
      MERGE_BY_KEY
    }

    static final ListStrategy ATOMIC = new ListStrategy(Kind.ATOMIC, null);
    static final ListStrategy PRIMITIVES = new ListStrategy(Kind.MERGE_PRIMITIVES, null);

    static ListStrategy key(String mergeKey) {
      return new ListStrategy(Kind.MERGE_BY_KEY, mergeKey);
    }
  }

  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Set<String> POD_SPEC_OWNERS =
      Set.of("Pod", "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job", "PodTemplate");
  private static final Set<String> CONDITION_OWNERS =
      Set.of("Pod", "Node", "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Namespace");

  private PatchMeta() {}

  /**
   * The strategy of the list at {@code path} (field names from the object root, list indices left
   * out) in an object of {@code kind}.
   */
  static ListStrategy listStrategy(String kind, List<String> path) {
    int n = path.size();
    if (n == 0) return ListStrategy.ATOMIC;
    String field = path.get(n - 1);
    String parent = n >= 2 ? path.get(n - 2) : "";
    if (n == 2 && parent.equals("metadata")) {
      if (field.equals("finalizers")) return ListStrategy.PRIMITIVES;
      if (field.equals("ownerReferences")) return ListStrategy.key("uid");
      return ListStrategy.ATOMIC;
    }
    if (n == 2
        && parent.equals("status")
        && field.equals("conditions")
        && CONDITION_OWNERS.contains(kind)) {
      return ListStrategy.key("type");
    }
    if (kind.equals("Pod")
        && n == 2
        && parent.equals("status")
        && (field.equals("podIPs") || field.equals("hostIPs"))) {
      return ListStrategy.key("ip");
    }
    if (kind.equals("Service") && path.equals(List.of("spec", "ports"))) {
      return ListStrategy.key("port");
    }
    if (kind.equals("Node")) {
      if (path.equals(List.of("status", "addresses"))) return ListStrategy.key("type");
      if (path.equals(List.of("spec", "podCIDRs"))) return ListStrategy.PRIMITIVES;
      return ListStrategy.ATOMIC;
    }
    if (POD_SPEC_OWNERS.contains(kind) && path.contains("spec")) return podSpecList(field, parent);
    return ListStrategy.ATOMIC;
  }

  private static ListStrategy podSpecList(String field, String parent) {
    if (CONTAINER_LISTS.contains(field)) return ListStrategy.key("name");
    if (CONTAINER_LISTS.contains(parent)) {
      return switch (field) {
        case "ports" -> ListStrategy.key("containerPort");
        case "env" -> ListStrategy.key("name");
        case "volumeMounts" -> ListStrategy.key("mountPath");
        case "volumeDevices" -> ListStrategy.key("devicePath");
        case "resizePolicy" -> ListStrategy.key("resourceName");
        default -> ListStrategy.ATOMIC;
      };
    }
    return switch (field) {
      case "volumes", "imagePullSecrets", "resourceClaims", "schedulingGates" ->
          ListStrategy.key("name");
      case "hostAliases" -> ListStrategy.key("ip");
      case "topologySpreadConstraints" -> ListStrategy.key("topologyKey");
      default -> ListStrategy.ATOMIC;
    };
  }
}
