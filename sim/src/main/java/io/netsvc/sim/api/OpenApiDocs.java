package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal OpenAPI v3 surface: an index plus one document per group version that declares the
 * PATCH operation of every resource with the {@code fieldValidation} query parameter. That is what
 * kubectl (1.27+) checks before it validates client-side; finding it, kubectl leaves validation to
 * the server (which here accepts and ignores the parameter) instead of demanding a full schema. No
 * schemas are published, so apply builds strategic-merge patches from its compiled-in types and
 * {@code kubectl explain} has nothing to show.
 */
final class OpenApiDocs {
  static final String PREFIX = "/openapi/v3/";
  private static final List<String> QUERY_PARAMS =
      List.of("fieldValidation", "fieldManager", "dryRun", "force", "pretty");

  private OpenApiDocs() {}

  /** {@code /openapi/v3}: group version → document URL (with a content hash, like k8s). */
  static ObjectNode index(ApiCatalog catalog) {
    ObjectNode doc = Json.object();
    ObjectNode paths = doc.putObject("paths");
    catalog
        .groups()
        .forEach(
            (group, versions) -> {
              for (String v : versions) {
                String key = group.isEmpty() ? "api/" + v : "apis/" + group + "/" + v;
                String hash = hash(Json.write(groupVersion(catalog, group, v)));
                paths.putObject(key).put("serverRelativeURL", PREFIX + key + "?hash=" + hash);
              }
            });
    return doc;
  }

  /**
   * The document for {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/G/V}; null if unknown.
   */
  static ObjectNode forPath(ApiCatalog catalog, String path) {
    String rest = path.substring(PREFIX.length());
    String[] parts = rest.split("/");
    if (parts.length == 2 && parts[0].equals("api")) return groupVersion(catalog, "", parts[1]);
    if (parts.length == 3 && parts[0].equals("apis"))
      return groupVersion(catalog, parts[1], parts[2]);
    return null;
  }

  static ObjectNode groupVersion(ApiCatalog catalog, String group, String version) {
    List<ApiResource> resources = catalog.inGroupVersion(group, version);
    if (resources.isEmpty()) return null;
    ObjectNode doc = Json.object().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "netsvc sim").put("version", version);
    ObjectNode paths = doc.putObject("paths");
    for (ApiResource r : resources) {
      String item = r.gvPath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      paths.putObject(item + "/{name}").set("patch", patchOperation(r));
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static ObjectNode patchOperation(ApiResource r) {
    ObjectNode op = Json.object();
    op.put("operationId", "patch" + r.kind() + r.version());
    ArrayNode params = op.putArray("parameters");
    for (String name : QUERY_PARAMS) {
      ObjectNode p = params.addObject().put("name", name).put("in", "query");
      p.putObject("schema").put("type", name.equals("force") ? "boolean" : "string");
    }
    ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
    for (String type : List.of("application/json-patch+json", MediaTypes.MERGE)) {
      content.putObject(type).putObject("schema").put("type", "object");
    }
    op.putObject("responses").putObject("200").put("description", "OK");
    op.put("x-kubernetes-action", "patch");
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", r.group())
        .put("version", r.version())
        .put("kind", r.kind());
    return op;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16).toUpperCase();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
