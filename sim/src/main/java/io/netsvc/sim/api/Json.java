package io.netsvc.sim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** Jackson tree helpers shared by the shims. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A request/response body as text, without consuming the buffer (its reads are destructive). */
  static String text(io.fabric8.mockwebserver.http.Buffer body) {
    return body == null ? "" : new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode strings(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** The text at a dotted path ({@code spec.nodeName}); "" when absent or not a scalar. */
  static String text(JsonNode node, String dottedPath) {
    JsonNode cur = node;
    for (String part : dottedPath.split("\\.")) {
      cur = cur.path(part);
    }
    return cur.isValueNode() ? cur.asText() : "";
  }
}
