package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsvc.sim.api.PatchMeta.ListStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a Kubernetes strategic-merge patch (what {@code kubectl apply/label/annotate/patch} send)
 * to a stored object, following apimachinery's {@code strategicpatch} rules: maps merge
 * recursively, {@code null} deletes, keyed lists merge by their merge key, and the directives
 * {@code $patch} (replace/delete), {@code $retainKeys}, {@code $setElementOrder/} and {@code
 * $deleteFromPrimitiveList/} are honoured. With {@code strategic=false} it is a plain RFC 7386 JSON
 * merge patch (lists replaced, no directives). Pure: the inputs are not modified.
 */
final class StrategicMerge {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVES = "$deleteFromPrimitiveList/";

  private final String kind;
  private final boolean strategic;

  private StrategicMerge(String kind, boolean strategic) {
    this.kind = kind;
    this.strategic = strategic;
  }

  static ObjectNode strategic(JsonNode original, JsonNode patch) {
    return apply(original, patch, true);
  }

  static ObjectNode jsonMerge(JsonNode original, JsonNode patch) {
    return apply(original, patch, false);
  }

  private static ObjectNode apply(JsonNode original, JsonNode patch, boolean strategic) {
    if (!original.isObject() || !patch.isObject()) {
      throw new IllegalArgumentException("a merge patch must be a JSON object");
    }
    StrategicMerge merge = new StrategicMerge(original.path("kind").asText(""), strategic);
    ObjectNode result = merge.mergeMap(original.deepCopy(), (ObjectNode) patch, List.of());
    if (result == null) throw new IllegalArgumentException("$patch: delete of the whole object");
    return result;
  }

  /** Merges {@code patch} into {@code original} (mutated); null = the map is to be deleted. */
  private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, List<String> path) {
    if (strategic) {
      String directive = patch.path(PATCH).asText("");
      if (directive.equals("delete")) return null;
      if (directive.equals("replace"))
        return mergeMap(Json.object(), withoutDirective(patch), path);
      retainKeys(original, patch);
      deleteFromPrimitiveLists(original, patch);
    }
    Map<String, JsonNode> liveLists = new HashMap<>();
    patch
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (strategic && k.startsWith(SET_ORDER)) {
                String field = k.substring(SET_ORDER.length());
                liveLists.put(
                    field,
                    original.has(field) ? original.get(field).deepCopy() : Json.NODES.arrayNode());
              }
            });
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (strategic && key.startsWith("$")) continue;
      JsonNode value = e.getValue();
      JsonNode current = original.get(key);
      List<String> child = append(path, key);
      if (value.isNull()) {
        original.remove(key);
      } else if (value.isObject()) {
        ObjectNode base =
            current != null && current.isObject() ? (ObjectNode) current : Json.object();
        ObjectNode merged = mergeMap(base, (ObjectNode) value, child);
        if (merged == null) original.remove(key);
        else original.set(key, merged);
      } else if (value.isArray() && strategic) {
        ArrayNode base =
            current != null && current.isArray() ? (ArrayNode) current : Json.NODES.arrayNode();
        original.set(key, mergeList(base, (ArrayNode) value, child));
      } else {
        original.set(key, value.deepCopy());
      }
    }
    liveLists.forEach(
        (field, live) -> {
          JsonNode order = patch.get(SET_ORDER + field);
          if (order.isArray() && original.path(field).isArray()) {
            ListStrategy s = PatchMeta.listStrategy(kind, append(path, field));
            original.set(
                field,
                ElementOrder.apply(
                    (ArrayNode) original.get(field),
                    (ArrayNode) order,
                    (ArrayNode) live,
                    s.mergeKey()));
          }
        });
    return original;
  }

  private ArrayNode mergeList(ArrayNode live, ArrayNode patch, List<String> path) {
    ListStrategy strategy = PatchMeta.listStrategy(kind, path);
    List<JsonNode> elements = new ArrayList<>();
    boolean replace = false;
    for (JsonNode e : patch) {
      if (e.isObject() && e.path(PATCH).asText("").equals("replace") && e.size() == 1)
        replace = true;
      else elements.add(e);
    }
    ArrayNode result = Json.NODES.arrayNode();
    switch (strategy.kind()) {
      case ATOMIC -> elements.forEach(e -> result.add(e.deepCopy()));
      case MERGE_PRIMITIVES -> {
        if (!replace) result.addAll(live.deepCopy());
        for (JsonNode e : elements) if (!contains(result, e)) result.add(e.deepCopy());
      }
      case MERGE_BY_KEY -> {
        if (!replace) result.addAll(live.deepCopy());
        for (JsonNode e : elements) mergeKeyed(result, e, strategy.mergeKey(), path);
      }
    }
    return result;
  }

  private void mergeKeyed(ArrayNode result, JsonNode element, String mergeKey, List<String> path) {
    if (!element.isObject() || !element.has(mergeKey)) {
      result.add(element.deepCopy());
      return;
    }
    JsonNode keyValue = element.get(mergeKey);
    if (element.path(PATCH).asText("").equals("delete")) {
      for (int i = result.size() - 1; i >= 0; i--) {
        if (keyValue.equals(result.get(i).get(mergeKey))) result.remove(i);
      }
      return;
    }
    for (int i = 0; i < result.size(); i++) {
      if (result.get(i).isObject() && keyValue.equals(result.get(i).get(mergeKey))) {
        ObjectNode merged = mergeMap((ObjectNode) result.get(i), (ObjectNode) element, path);
        if (merged == null) result.remove(i);
        else result.set(i, merged);
        return;
      }
    }
    ObjectNode added = mergeMap(Json.object(), (ObjectNode) element, path);
    if (added != null) result.add(added);
  }

  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain == null || !retain.isArray()) return;
    Set<String> keep = new HashSet<>();
    retain.forEach(k -> keep.add(k.asText()));
    original.retain(keep);
  }

  private static void deleteFromPrimitiveLists(ObjectNode original, ObjectNode patch) {
    patch
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().startsWith(DELETE_PRIMITIVES)) return;
              JsonNode list = original.get(e.getKey().substring(DELETE_PRIMITIVES.length()));
              if (list == null || !list.isArray()) return;
              ArrayNode array = (ArrayNode) list;
              for (int i = array.size() - 1; i >= 0; i--) {
                if (contains(e.getValue(), array.get(i))) array.remove(i);
              }
            });
  }

  private static ObjectNode withoutDirective(ObjectNode patch) {
    ObjectNode copy = patch.deepCopy();
    copy.remove(PATCH);
    return copy;
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode e : array) if (e.equals(value)) return true;
    return false;
  }

  private static List<String> append(List<String> path, String field) {
    List<String> out = new ArrayList<>(path);
    out.add(field);
    return out;
  }
}
