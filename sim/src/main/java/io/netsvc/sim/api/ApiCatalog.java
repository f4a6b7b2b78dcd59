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

  private static final String CORE = "";
  private static final String APPS = "apps";
  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final String HELM = "helm.cattle.io";
  private static final boolean NAMESPACED = true;
  private static final boolean CLUSTER = false;

  /** Every built-in is served at v1 only. */
  static final List<ApiResource> BUILTIN =
      List.of(
          res(CORE, "namespaces", "Namespace", CLUSTER, List.of("ns"), STATUS, NONE),
          res(CORE, "services", "Service", NAMESPACED, List.of("svc"), STATUS, ALL),
          res(CORE, "endpoints", "Endpoints", NAMESPACED, List.of("ep"), NONE, NONE),
          res(CORE, "nodes", "Node", CLUSTER, List.of("no"), STATUS, NONE),
          res(CORE, "pods", "Pod", NAMESPACED, List.of("po"), STATUS, ALL),
          res(CORE, "events", "Event", NAMESPACED, List.of("ev"), NONE, NONE),
          res(CORE, "configmaps", "ConfigMap", NAMESPACED, List.of("cm"), NONE, NONE),
          res(CORE, "secrets", "Secret", NAMESPACED, NONE, NONE, NONE),
          res(CORE, "serviceaccounts", "ServiceAccount", NAMESPACED, List.of("sa"), NONE, NONE),
          res(APPS, "daemonsets", "DaemonSet", NAMESPACED, List.of("ds"), STATUS, ALL),
          res(APPS, "deployments", "Deployment", NAMESPACED, List.of("deploy"), STATUS, ALL),
          res(APPS, "replicasets", "ReplicaSet", NAMESPACED, List.of("rs"), STATUS, ALL),
          res("discovery.k8s.io", "endpointslices", "EndpointSlice", NAMESPACED, NONE, NONE, NONE),
          // No "ev" here: kubectl 1.32 would warn on every "get ev" that it is ambiguous.
          res("events.k8s.io", "events", "Event", NAMESPACED, NONE, NONE, NONE),
          res(
              "networking.k8s.io",
              "networkpolicies",
              "NetworkPolicy",
              NAMESPACED,
              List.of("netpol"),
              NONE,
              NONE),
          res("coordination.k8s.io", "leases", "Lease", NAMESPACED, NONE, NONE, NONE),
          // deploy/ ships one (kubectl apply -k deploy against the sim)
          res(
              "policy",
              "poddisruptionbudgets",
              "PodDisruptionBudget",
              NAMESPACED,
              List.of("pdb"),
              STATUS,
              NONE),
          res(RBAC, "roles", "Role", NAMESPACED, NONE, NONE, NONE),
          res(RBAC, "rolebindings", "RoleBinding", NAMESPACED, NONE, NONE, NONE),
          res(RBAC, "clusterroles", "ClusterRole", CLUSTER, NONE, NONE, NONE),
          res(RBAC, "clusterrolebindings", "ClusterRoleBinding", CLUSTER, NONE, NONE, NONE),
          res(
              "apiextensions.k8s.io",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              CLUSTER,
              List.of("crd", "crds"),
              STATUS,
              NONE),
          res(HELM, "helmcharts", "HelmChart", NAMESPACED, NONE, STATUS, NONE),
          res(HELM, "helmchartconfigs", "HelmChartConfig", NAMESPACED, NONE, NONE, NONE),
          res("k3s.cattle.io", "addons", "Addon", NAMESPACED, NONE, NONE, NONE));

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
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources,
      List<String> categories) {
    return new ApiResource(
        group,
        "v1",
        plural,
        kind.toLowerCase(),
        kind,
        namespaced,
        shortNames,
        subresources,
        categories);
  }
}
