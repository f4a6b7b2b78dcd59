package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Turns objects into the {@code meta.k8s.io} Table that {@code kubectl get} asks for with {@code
 * Accept: application/json;as=Table;v=v1;g=meta.k8s.io}. Rows carry the object as {@code
 * includeObject} says: {@code Metadata} (the default: a PartialObjectMetadata, which kubectl needs
 * for {@code -A}'s NAMESPACE column and {@code --show-labels}), {@code Object} or {@code None}.
 */
final class TableConverter {
  private TableConverter() {}

  static String contentType(String tableVersion) {
    return "application/json;as=Table;v=" + tableVersion + ";g=meta.k8s.io";
  }

  static ObjectNode table(
      List<JsonNode> items,
      String kind,
      String resourceVersion,
      String tableVersion,
      String includeObject,
      Instant now) {
    Printers.Printer printer = Printers.forKind(kind);
    ObjectNode table = Json.object().put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/" + tableVersion);
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty())
      meta.put("resourceVersion", resourceVersion);
    ArrayNode columns = table.putArray("columnDefinitions");
    for (Printers.Column c : printer.columns()) {
      columns
          .addObject()
          .put("name", c.name())
          .put("type", c.type())
          .put("format", c.format())
          .put("description", "")
          .put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : printer.cells().apply(item, now)) {
        if (cell instanceof Number n) cells.add(n.longValue());
        else cells.add(String.valueOf(cell));
      }
      JsonNode object = rowObject(item, includeObject, tableVersion);
      if (object != null) row.set("object", object);
    }
    return table;
  }

  private static JsonNode rowObject(JsonNode item, String includeObject, String tableVersion) {
    switch (includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject) {
      case "None":
        return null;
      case "Object":
        return item;
      default:
        ObjectNode partial = Json.object().put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/" + tableVersion);
        partial.set("metadata", item.path("metadata").deepCopy());
        return partial;
    }
  }
}
