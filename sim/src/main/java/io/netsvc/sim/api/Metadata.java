package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;

/** The non-resource endpoints: {@code /}, {@code /version}, health, discovery and OpenAPI. */
final class Metadata {
  static final String VERSION = "v1.32.0+netsvc-sim";

  private Metadata() {}

  /** The response for a GET of a non-resource path, or null when {@code path} is a resource URL. */
  static MockResponse serve(
      String pathAndQuery, String accept, ApiCatalog catalog, String address) {
    int q = pathAndQuery.indexOf('?');
    String path = (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)).replaceAll("/+$", "");
    boolean aggregated = MediaTypes.wantsAggregatedDiscovery(accept);
    switch (path) {
      case "":
        return SimDispatcher.json(200, rootPaths(catalog));
      case "/version":
        return SimDispatcher.json(200, version());
      case "/healthz", "/livez", "/readyz":
        return new MockResponse()
            .setResponseCode(200)
            .setBody("ok")
            .setHeader("Content-Type", "text/plain");
      case "/api":
        return aggregated
            ? aggregated(DiscoveryDocs.aggregated(catalog, true))
            : SimDispatcher.json(200, DiscoveryDocs.apiVersions(address));
      case "/apis":
        return aggregated
            ? aggregated(DiscoveryDocs.aggregated(catalog, false))
            : SimDispatcher.json(200, DiscoveryDocs.groupList(catalog));
      case "/openapi/v3":
        return SimDispatcher.json(200, OpenApiDocs.index(catalog));
      case "/openapi/v2":
        // kubectl then falls back to its compiled-in types (and validation to the server).
        return SimDispatcher.json(404, ApiStatus.notFound("", ""));
      default:
        break;
    }
    if (path.startsWith(OpenApiDocs.PREFIX)) return orNotFound(OpenApiDocs.forPath(catalog, path));
    String[] segs = path.substring(1).split("/");
    if (segs.length == 2 && segs[0].equals("api")) {
      return orNotFound(DiscoveryDocs.resourceList(catalog, "", segs[1]));
    }
    if (segs.length == 2 && segs[0].equals("apis")) {
      return orNotFound(DiscoveryDocs.apiGroup(catalog, segs[1]));
    }
    if (segs.length == 3 && segs[0].equals("apis")) {
      return orNotFound(DiscoveryDocs.resourceList(catalog, segs[1], segs[2]));
    }
    return null;
  }

  private static MockResponse aggregated(ObjectNode doc) {
    return SimDispatcher.json(200, doc).setHeader("Content-Type", DiscoveryDocs.AGGREGATED_V2);
  }

  private static MockResponse orNotFound(ObjectNode doc) {
    return doc == null
        ? SimDispatcher.json(404, ApiStatus.notFound("", ""))
        : SimDispatcher.json(200, doc);
  }

  private static ObjectNode rootPaths(ApiCatalog catalog) {
    ObjectNode doc = Json.object();
    ArrayNode paths = doc.putArray("paths");
    List.of("/api", "/api/v1", "/apis").forEach(paths::add);
    catalog
        .groups()
        .forEach(
            (group, versions) -> {
              if (group.isEmpty()) return;
              paths.add("/apis/" + group);
              versions.forEach(v -> paths.add("/apis/" + group + "/" + v));
            });
    List.of("/healthz", "/livez", "/openapi/v3", "/readyz", "/version").forEach(paths::add);
    return doc;
  }

  private static ObjectNode version() {
    return Json.object()
        .put("major", "1")
        .put("minor", "32")
        .put("gitVersion", VERSION)
        .put("gitCommit", "")
        .put("gitTreeState", "clean")
        .put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "java" + Runtime.version().feature())
        .put("compiler", "javac")
        .put("platform", "linux/amd64");
  }
}
