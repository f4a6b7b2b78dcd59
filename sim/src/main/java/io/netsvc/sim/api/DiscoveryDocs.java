package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The discovery documents a real API server serves: legacy ({@code /api}, {@code /apis}, {@code
 * /apis/G}, resource lists) and aggregated ({@code apidiscovery.k8s.io/v2}), from a catalog.
 */
final class DiscoveryDocs {
  static final String AGGREGATED_V2 =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private DiscoveryDocs() {}

  static ObjectNode apiVersions(String serverAddress) {
    ObjectNode doc = Json.object().put("kind", "APIVersions");
    doc.set("versions", Json.strings(List.of("v1")));
    ObjectNode cidr =
        Json.object().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    doc.putArray("serverAddressByClientCIDRs").add(cidr);
    return doc;
  }

  static ObjectNode groupList(ApiCatalog catalog) {
    ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    catalog
        .groups()
        .forEach(
            (g, versions) -> {
              if (!g.isEmpty()) groups.add(group(g, versions));
            });
    return doc;
  }

  static ObjectNode group(String name, Set<String> versions) {
    ObjectNode group = Json.object().put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String v : versions)
      list.add(Json.object().put("groupVersion", name + "/" + v).put("version", v));
    group.set("preferredVersion", list.get(0).deepCopy());
    return group;
  }

  static ObjectNode apiGroup(ApiCatalog catalog, String name) {
    Set<String> versions = catalog.groups().get(name);
    if (versions == null) return null;
    return group(name, versions).put("kind", "APIGroup").put("apiVersion", "v1");
  }

  static ObjectNode resourceList(ApiCatalog catalog, String group, String version) {
    List<ApiResource> resources = catalog.inGroupVersion(group, version);
    if (resources.isEmpty()) return null;
    ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1");
    doc.put("groupVersion", resources.get(0).groupVersion());
    ArrayNode list = doc.putArray("resources");
    for (ApiResource r : resources) {
      ObjectNode main = Json.object().put("name", r.plural()).put("singularName", r.singular());
      main.put("namespaced", r.namespaced()).put("kind", r.kind());
      main.set("verbs", Json.strings(ApiResource.VERBS));
      if (!r.shortNames().isEmpty()) main.set("shortNames", Json.strings(r.shortNames()));
      if (!r.categories().isEmpty()) main.set("categories", Json.strings(r.categories()));
      list.add(main);
      for (String sub : r.subresources()) {
        ObjectNode s = Json.object().put("name", r.plural() + "/" + sub).put("singularName", "");
        s.put("namespaced", r.namespaced()).put("kind", r.kind());
        s.set("verbs", Json.strings(ApiResource.SUBRESOURCE_VERBS));
        list.add(s);
      }
    }
    return doc;
  }

  /** Aggregated discovery: {@code legacy} true = the core group only (for {@code /api}). */
  static ObjectNode aggregated(ApiCatalog catalog, boolean legacy) {
    ObjectNode doc = Json.object().put("kind", "APIGroupDiscoveryList");
    doc.put("apiVersion", "apidiscovery.k8s.io/v2").putObject("metadata");
    ArrayNode items = doc.putArray("items");
    for (Map.Entry<String, Set<String>> g : catalog.groups().entrySet()) {
      if (g.getKey().isEmpty() != legacy) continue;
      ObjectNode item = items.addObject();
      item.putObject("metadata").put("name", g.getKey());
      ArrayNode versions = item.putArray("versions");
      for (String v : g.getValue()) {
        ObjectNode version = versions.addObject().put("version", v);
        ArrayNode resources = version.putArray("resources");
        catalog.inGroupVersion(g.getKey(), v).forEach(r -> resources.add(aggregatedResource(r)));
        version.put("freshness", "Current");
      }
    }
    return doc;
  }

  private static ObjectNode aggregatedResource(ApiResource r) {
    ObjectNode res = Json.object().put("resource", r.plural());
    res.set("responseKind", kind(r));
    res.put("scope", r.namespaced() ? "Namespaced" : "Cluster");
    res.put("singularResource", r.singular());
    res.set("verbs", Json.strings(ApiResource.VERBS));
    if (!r.shortNames().isEmpty()) res.set("shortNames", Json.strings(r.shortNames()));
    if (!r.categories().isEmpty()) res.set("categories", Json.strings(r.categories()));
    if (!r.subresources().isEmpty()) {
      ArrayNode subs = res.putArray("subresources");
      for (String sub : r.subresources()) {
        ObjectNode s = subs.addObject().put("subresource", sub);
        s.set("responseKind", kind(r));
        s.set("verbs", Json.strings(ApiResource.SUBRESOURCE_VERBS));
      }
    }
    return res;
  }

  private static ObjectNode kind(ApiResource r) {
    return Json.object().put("group", r.group()).put("version", r.version()).put("kind", r.kind());
  }
}
