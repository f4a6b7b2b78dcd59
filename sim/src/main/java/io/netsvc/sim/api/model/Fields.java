package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over Jackson trees for the defaulting and validation functions. */
final class Fields {
  private Fields() {}

  /** {@code parent.name} as an object, created when absent (or not an object). */
  static ObjectNode object(ObjectNode parent, String name) {
    JsonNode n = parent.get(name);
    return n instanceof ObjectNode o ? o : parent.putObject(name);
  }

  /** {@code parent.name} when it is an object, else null. */
  static ObjectNode objectOrNull(JsonNode parent, String name) {
    JsonNode n = parent == null ? null : parent.get(name);
    return n instanceof ObjectNode o ? o : null;
  }

  /** The objects of the array {@code parent.name} (none when absent). */
  static List<ObjectNode> objects(JsonNode parent, String name) {
    List<ObjectNode> out = new ArrayList<>();
    JsonNode n = parent == null ? null : parent.get(name);
    if (n instanceof ArrayNode a) for (JsonNode i : a) if (i instanceof ObjectNode o) out.add(o);
    return out;
  }

  /** {@code parent.name} as text; "" when absent or null. */
  static String text(JsonNode parent, String name) {
    JsonNode n = parent == null ? null : parent.get(name);
    return n == null || n.isNull() ? "" : n.asText("");
  }

  /** True when {@code parent.name} is absent, null or an empty string. */
  static boolean unset(JsonNode parent, String name) {
    JsonNode n = parent.get(name);
    return n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty());
  }

  static void defaultText(ObjectNode parent, String name, String value) {
    if (unset(parent, name)) parent.put(name, value);
  }

  static void defaultInt(ObjectNode parent, String name, int value) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) parent.put(name, value);
  }

  static void defaultBool(ObjectNode parent, String name, boolean value) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) parent.put(name, value);
  }

  static boolean isEmptyArray(JsonNode parent, String name) {
    JsonNode n = parent == null ? null : parent.get(name);
    return n == null || n.isNull() || (n.isArray() && n.isEmpty());
  }

  static void nonNegative(JsonNode parent, String name, String field, List<FieldError> out) {
    JsonNode n = parent == null ? null : parent.get(name);
    if (n != null && n.isNumber() && n.asLong() < 0) {
      out.add(FieldError.invalid(field, n, "must be greater than or equal to 0"));
    }
  }

  static boolean validPort(JsonNode n) {
    return n != null
        && n.canConvertToInt()
        && n.isIntegralNumber()
        && n.asInt() >= 1
        && n.asInt() <= 65535;
  }

  static final String PORT_RANGE = "must be between 1 and 65535, inclusive";
}
