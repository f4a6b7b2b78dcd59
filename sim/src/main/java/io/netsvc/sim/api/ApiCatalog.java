package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource types the embedded API announces: a fixed set of built-ins (what netsvc and a K3s
 * user touch) plus whatever CustomResourceDefinitions have been stored.
 */
final class ApiCatalog {
  private static final List<String> NONE = List.of();
  private static final List<String> STATUS = List.of("status");
  private static final List<String> ALL = List.of("all");

  static final List<ApiResource> BUILTIN =
      List.of(
          res("", "v1", "namespaces", "Namespace", false, List.of("ns"), STATUS, NONE),
          res("", "v1", "services", "Service", true, List.of("svc"), STATUS, ALL),
          res("", "v1", "endpoints", "Endpoints", true, List.of("ep"), NONE, NONE),
          res("", "v1", "nodes", "Node", false, List.of("no"), STATUS, NONE),
          res("", "v1", "pods", "Pod", true, List.of("po"), STATUS, ALL),
          res("", "v1", "events", "Event", true, List.of("ev"), NONE, NONE),
          res("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), NONE, NONE),
          res("", "v1", "secrets", "Secret", true, NONE, NONE, NONE),
          res("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), NONE, NONE),
          res("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), STATUS, ALL),
          res("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), STATUS, ALL),
          res("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), STATUS, ALL),
          res("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, NONE, NONE, NONE),
          // No "ev" here: kubectl 1.32 would warn on every "get ev" that it is ambiguous.
          res("events.k8s.io", "v1", "events", "Event", true, NONE, NONE, NONE),
          res(
              "networking.k8s.io",
              "v1",
              "networkpolicies",
              "NetworkPolicy",
              true,
              List.of("netpol"),
              NONE,
              NONE),
          res("coordination.k8s.io", "v1", "leases", "Lease", true, NONE, NONE, NONE),
          res("rbac.authorization.k8s.io", "v1", "roles", "Role", true, NONE, NONE, NONE),
          res(
              "rbac.authorization.k8s.io",
              "v1",
              "rolebindings",
              "RoleBinding",
              true,
              NONE,
              NONE,
              NONE),
          res(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterroles",
              "ClusterRole",
              false,
              NONE,
              NONE,
              NONE),
          res(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterrolebindings",
              "ClusterRoleBinding",
              false,
              NONE,
              NONE,
              NONE),
          res(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds"),
              STATUS,
              NONE),
          res("helm.cattle.io", "v1", "helmcharts", "HelmChart", true, NONE, STATUS, NONE),
          res(
              "helm.cattle.io",
              "v1",
              "helmchartconfigs",
              "HelmChartConfig",
              true,
              NONE,
              NONE,
              NONE),
          res("k3s.cattle.io", "v1", "addons", "Addon", true, NONE, NONE, NONE));

  private final List<ApiResource> resources;

  private ApiCatalog(List<ApiResource> resources) {
    this.resources = List.copyOf(resources);
  }

  /** The built-ins plus the resources the given stored CRDs (JSON objects) define. */
  static ApiCatalog withCrds(List<JsonNode> crds) {
    List<ApiResource> all = new ArrayList<>(BUILTIN);
    for (JsonNode crd : crds) {
      for (ApiResource r : fromCrd(crd)) {
        if (all.stream().noneMatch(b -> sameType(b, r))) all.add(r);
      }
    }
    return new ApiCatalog(all);
  }

  List<ApiResource> all() {
    return resources;
  }

  /** Group name → served versions, core group ("") first, in catalog order. */
  Map<String, Set<String>> groups() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      groups.computeIfAbsent(r.group(), g -> new LinkedHashSet<>()).add(r.version());
    }
    return groups;
  }

  List<ApiResource> inGroupVersion(String group, String version) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .toList();
  }

  Optional<ApiResource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .filter(r -> r.plural().equals(plural))
        .findFirst();
  }

  private static boolean sameType(ApiResource a, ApiResource b) {
    return a.group().equals(b.group())
        && a.version().equals(b.version())
        && a.plural().equals(b.plural());
  }

  static List<ApiResource> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText("");
    String plural = names.path("plural").asText("");
    String kind = names.path("kind").asText("");
    if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) return List.of();
    String singular = names.path("singular").asText(kind.toLowerCase());
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    List<ApiResource> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) continue;
      List<String> subresources = v.path("subresources").has("status") ? STATUS : NONE;
      out.add(
          new ApiResource(
              group,
              v.path("name").asText(),
              plural,
              singular,
              kind,
              namespaced,
              strings(names.path("shortNames")),
              subresources,
              strings(names.path("categories"))));
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static ApiResource res(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources,
      List<String> categories) {
    return new ApiResource(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        namespaced,
        shortNames,
        subresources,
        categories);
  }
}
