package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors evaluated in Java, as a real API server does for lists: the CRUD mock
 * drops set-based label requirements ({@code in}, {@code notin}) and matches no field other than
 * {@code metadata.name/namespace}, which breaks e.g. {@code kubectl describe} (events by {@code
 * involvedObject.*}) and {@code spec.nodeName} pod lists.
 */
final class Selectors {
  private Selectors() {}

  /** A predicate for a {@code labelSelector} query value (null/blank matches everything). */
  static Predicate<JsonNode> labels(String selector) {
    Predicate<JsonNode> all = o -> true;
    if (selector == null || selector.isBlank()) return all;
    for (String req : splitTopLevel(selector)) {
      all = all.and(labelRequirement(req.trim()));
    }
    return all;
  }

  /** A predicate for a {@code fieldSelector} query value: {@code a.b=v}, {@code ==}, {@code !=}. */
  static Predicate<JsonNode> fields(String selector) {
    Predicate<JsonNode> all = o -> true;
    if (selector == null || selector.isBlank()) return all;
    for (String req : selector.split(",")) {
      String r = req.trim();
      if (r.isEmpty()) continue;
      boolean negate = r.contains("!=");
      String[] kv = r.split(negate ? "!=" : "==?", 2);
      if (kv.length != 2) throw new IllegalArgumentException("invalid field selector: " + r);
      String field = kv[0].trim();
      String value = kv[1].trim();
      all = all.and(o -> Json.text(o, field).equals(value) != negate);
    }
    return all;
  }

  private static Predicate<JsonNode> labelRequirement(String req) {
    if (req.isEmpty()) return o -> true;
    String[] words = req.split("\\s+", 2);
    if (words.length == 2 && (words[1].startsWith("in") || words[1].startsWith("notin"))) {
      boolean in = words[1].startsWith("in");
      String list = words[1].substring(in ? 2 : 5).trim();
      if (!list.startsWith("(") || !list.endsWith(")")) {
        throw new IllegalArgumentException("invalid label selector: " + req);
      }
      Set<String> values =
          Set.copyOf(
              List.of(list.substring(1, list.length() - 1).split("\\s*,\\s*")).stream()
                  .map(String::trim)
                  .toList());
      String key = words[0];
      return o -> {
        JsonNode v = label(o, key);
        return in
            ? v != null && values.contains(v.asText())
            : v == null || !values.contains(v.asText());
      };
    }
    if (req.startsWith("!")) {
      String key = req.substring(1).trim();
      return o -> label(o, key) == null;
    }
    if (req.contains("!=")) {
      String[] kv = req.split("!=", 2);
      return o -> {
        JsonNode v = label(o, kv[0].trim());
        return v == null || !v.asText().equals(kv[1].trim());
      };
    }
    if (req.contains("=")) {
      String[] kv = req.split("==?", 2);
      return o -> {
        JsonNode v = label(o, kv[0].trim());
        return v != null && v.asText().equals(kv[1].trim());
      };
    }
    return o -> label(o, req) != null;
  }

  private static JsonNode label(JsonNode object, String key) {
    JsonNode v = object.path("metadata").path("labels").get(key);
    return v == null || v.isNull() ? null : v;
  }

  // Commas separate requirements except inside "in (a,b)" value lists.
  private static List<String> splitTopLevel(String selector) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == ',' && depth == 0) {
        out.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    out.add(selector.substring(start));
    return out;
  }
}
