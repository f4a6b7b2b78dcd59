package io.netsvc.sim.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed resource URL: {@code /api/v1/namespaces/default/services/web/status?watch=true}. {@code
 * namespace}, {@code name} and {@code subresource} are "" when absent.
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    String rawPath,
    Map<String, String> query) {

  static Optional<ResourcePath> parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = parseQuery(q < 0 ? "" : pathAndQuery.substring(q + 1));
    List<String> segs = List.of(path.replaceAll("^/+|/+$", "").split("/"));
    String group;
    String version;
    int rest;
    if (segs.size() >= 3 && segs.get(0).equals("api")) {
      group = "";
      version = segs.get(1);
      rest = 2;
    } else if (segs.size() >= 4 && segs.get(0).equals("apis")) {
      group = segs.get(1);
      version = segs.get(2);
      rest = 3;
    } else {
      return Optional.empty();
    }
    List<String> r = segs.subList(rest, segs.size());
    String namespace = "";
    if (r.size() >= 3 && r.get(0).equals("namespaces") && !isNamespaceSubresource(r.get(2))) {
      namespace = r.get(1);
      r = r.subList(2, r.size());
    }
    if (r.isEmpty() || r.size() > 3) return Optional.empty();
    return Optional.of(
        new ResourcePath(
            group,
            version,
            namespace,
            r.get(0),
            r.size() > 1 ? r.get(1) : "",
            r.size() > 2 ? r.get(2) : "",
            path,
            query));
  }

  private static boolean isNamespaceSubresource(String s) {
    return s.equals("status") || s.equals("finalize");
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> out = new HashMap<>();
    if (query.isEmpty()) return out;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  String param(String key) {
    return query.getOrDefault(key, "");
  }

  boolean isList() {
    return name.isEmpty();
  }

  boolean isWatch() {
    return param("watch").equals("true") || param("watch").equals("1");
  }

  boolean isDryRun() {
    return param("dryRun").equals("All");
  }

  /** The object's own URL, without subresource or query. */
  String objectPath() {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    String ns = namespace.isEmpty() ? "" : "/namespaces/" + namespace;
    return prefix + ns + "/" + plural + (name.isEmpty() ? "" : "/" + name);
  }
}
