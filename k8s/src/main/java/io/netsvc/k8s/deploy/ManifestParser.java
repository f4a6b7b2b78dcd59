package io.netsvc.k8s.deploy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a manifest file into objects as K3s does: multi-document YAML, or JSON (one or several
 * concatenated objects); empty documents (whitespace, comments, {@code ---}, {@code null}, {@code
 * {}}) are skipped; {@code List} kinds are expanded. Namespaces are left as written: the applier
 * knows which kinds are namespaced.
 */
public final class ManifestParser {
  // Duplicate keys: the last one wins, as in K3s (sigs.k8s.io/yaml is not strict).
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new JsonMapper();

  private ManifestParser() {}

  /** The objects of a manifest, in file order. */
  public static List<GenericKubernetesResource> parse(String content) throws ManifestException {
    List<JsonNode> docs = documents(content);
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode doc = docs.get(i);
      if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
        continue;
      }
      String where = "document " + (i + 1);
      if (!doc.isObject()) throw new ManifestException(where + ": not an object");
      for (ObjectNode o : expand((ObjectNode) doc, where)) out.add(toResource(o, where));
    }
    return out;
  }

  private static List<JsonNode> documents(String content) throws ManifestException {
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    if (text.strip().startsWith("{")) {
      try {
        return readAll(JSON, text);
      } catch (JsonProcessingException e) {
        // Not JSON after all: YAML flow mappings start with '{' too.
      }
    }
    try {
      return readAll(YAML, text);
    } catch (JsonProcessingException e) {
      throw new ManifestException(oneLine(e));
    }
  }

  private static List<JsonNode> readAll(ObjectMapper mapper, String text)
      throws JsonProcessingException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) docs.add(it.nextValue());
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a String cannot fail with I/O", e);
    }
    return docs;
  }

  // A "...List" with items is a list of objects; a typed list (ConfigMapList) may omit the items'
  // apiVersion and kind, which then come from the list.
  private static List<ObjectNode> expand(ObjectNode doc, String where) throws ManifestException {
    String kind = doc.path("kind").asText("");
    JsonNode items = doc.get("items");
    if (!kind.endsWith("List") || items == null || !items.isArray()) return List.of(doc);
    List<ObjectNode> out = new ArrayList<>();
    int n = 0;
    for (JsonNode item : (ArrayNode) items) {
      n++;
      if (!item.isObject()) throw new ManifestException(where + ", item " + n + ": not an object");
      ObjectNode o = (ObjectNode) item;
      if (!kind.equals("List") && o.path("kind").asText("").isEmpty()) {
        o.put("kind", kind.substring(0, kind.length() - "List".length()));
        if (o.path("apiVersion").asText("").isEmpty()) {
          o.put("apiVersion", doc.path("apiVersion").asText(""));
        }
      }
      out.add(o);
    }
    return out;
  }

  private static GenericKubernetesResource toResource(ObjectNode o, String where)
      throws ManifestException {
    String kind = o.path("kind").asText("");
    String what = kind.isEmpty() ? where : where + " (" + kind + ")";
    if (!o.path("apiVersion").isTextual() || o.path("apiVersion").asText().isEmpty()) {
      throw new ManifestException(what + ": apiVersion is missing");
    }
    if (kind.isEmpty()) throw new ManifestException(what + ": kind is missing");
    JsonNode name = o.path("metadata").path("name");
    if (!name.isTextual() || name.asText().isEmpty()) {
      throw new ManifestException(what + ": metadata.name is missing");
    }
    try {
      return JSON.treeToValue(o, GenericKubernetesResource.class);
    } catch (JsonProcessingException e) {
      throw new ManifestException(what + ": " + oneLine(e));
    }
  }

  private static String oneLine(JsonProcessingException e) {
    String msg = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").strip();
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      msg += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return msg;
  }
}
