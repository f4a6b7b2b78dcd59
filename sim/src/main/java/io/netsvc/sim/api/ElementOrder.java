package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code $setElementOrder/<list>} directive of strategic-merge patches, as apimachinery's
 * {@code normalizeElementOrder}: items named in the directive come in its order; items only the
 * server has keep their live order and are interleaved by their live position.
 */
final class ElementOrder {
  private ElementOrder() {}

  /**
   * @param merged the list after merging
   * @param order the directive's list (maps holding only the merge key, or primitives)
   * @param live the list before merging
   * @param mergeKey the merge key, null for a list of primitives
   */
  static ArrayNode apply(ArrayNode merged, ArrayNode order, ArrayNode live, String mergeKey) {
    List<JsonNode> inOrder = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      if (index(order, item, mergeKey) >= 0) inOrder.add(item);
      else serverOnly.add(item);
    }
    inOrder.sort(byIndexIn(order, mergeKey));
    serverOnly.sort(byIndexIn(live, mergeKey));
    ArrayNode result = Json.NODES.arrayNode();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < inOrder.size()) {
      if (j >= inOrder.size()) {
        result.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        result.add(inOrder.get(j++));
      } else {
        int li = index(live, serverOnly.get(i), mergeKey);
        int ri = index(live, inOrder.get(j), mergeKey);
        if (li >= 0 && ri >= 0 && li < ri) result.add(serverOnly.get(i++));
        else result.add(inOrder.get(j++));
      }
    }
    return result;
  }

  // Stable sort; items missing from the reference list go last, in their current order.
  private static Comparator<JsonNode> byIndexIn(ArrayNode reference, String mergeKey) {
    return Comparator.comparingInt(
        item -> {
          int i = index(reference, item, mergeKey);
          return i >= 0 ? i : Integer.MAX_VALUE;
        });
  }

  private static int index(ArrayNode list, JsonNode item, String mergeKey) {
    JsonNode key = mergeKey == null ? item : item.get(mergeKey);
    if (key == null) return -1;
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
      if (key.equals(candidate)) return i;
    }
    return -1;
  }
}
