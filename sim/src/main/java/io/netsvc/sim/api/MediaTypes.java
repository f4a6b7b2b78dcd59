package io.netsvc.sim.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Accept / Content-Type parsing for the Kubernetes media-type parameters (as, g, v). */
final class MediaTypes {
  static final String JSON = "application/json";
  static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  static final String STRATEGIC_MERGE = "application/strategic-merge-patch+json";
  static final String MERGE = "application/merge-patch+json";
  static final String APPLY_YAML = "application/apply-patch+yaml";

  /** One entry of an Accept header. */
  record MediaType(String type, Map<String, String> params) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private MediaTypes() {}

  static List<MediaType> parseAll(String header) {
    List<MediaType> out = new ArrayList<>();
    if (header == null || header.isBlank()) return out;
    for (String part : header.split(",")) {
      String[] pieces = part.split(";");
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < pieces.length; i++) {
        String[] kv = pieces[i].trim().split("=", 2);
        if (kv.length == 2) params.put(kv[0].trim(), kv[1].trim());
      }
      out.add(new MediaType(pieces[0].trim().toLowerCase(Locale.ROOT), params));
    }
    return out;
  }

  /** The bare type of a Content-Type header ("" when absent). */
  static String baseType(String header) {
    List<MediaType> all = parseAll(header);
    return all.isEmpty() ? "" : all.get(0).type();
  }

  /** The first Accept entry asking for {@code as=<kind>} in group {@code g}, if any. */
  static Optional<MediaType> asKind(String accept, String kind, String group) {
    return parseAll(accept).stream()
        .filter(m -> m.type().equals(JSON) || m.type().equals("*/*"))
        .filter(m -> m.param("as").equals(kind) && m.param("g").equals(group))
        .findFirst();
  }

  static boolean wantsAggregatedDiscovery(String accept) {
    return asKind(accept, "APIGroupDiscoveryList", "apidiscovery.k8s.io")
        .filter(m -> m.param("v").equals("v2"))
        .isPresent();
  }

  /** The Table version kubectl asked for (v1 or v1beta1), if it asked for a Table. */
  static Optional<String> tableVersion(String accept) {
    return asKind(accept, "Table", "meta.k8s.io")
        .map(m -> m.param("v"))
        .filter(v -> v.equals("v1") || v.equals("v1beta1"));
  }
}
