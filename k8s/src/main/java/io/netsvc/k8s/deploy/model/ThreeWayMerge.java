package io.netsvc.k8s.deploy.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON merge patch (RFC 7386) that turns the live object into the desired one without touching
 * what others added: a key is deleted only if the last applied object had it and the desired one
 * does not. A key nobody applied (the {@code NodeHosts} that K3s' node controller writes into the
 * coredns ConfigMap) is never in the patch. Lists are replaced whole, as in any merge patch.
 */
public final class ThreeWayMerge {
  private ThreeWayMerge() {}

  /**
   * The patch, empty when the live object already matches.
   *
   * @param lastApplied what was applied the last time, or null (then nothing is deleted)
   * @param desired what the manifest says now (no null values)
   * @param live the object as the API server returned it
   */
  public static ObjectNode patch(JsonNode lastApplied, ObjectNode desired, JsonNode live) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode want = f.getValue();
      JsonNode have = live == null ? null : live.get(key);
      if (want.isObject() && have != null && have.isObject()) {
        JsonNode before = lastApplied == null ? null : lastApplied.get(key);
        ObjectNode sub =
            patch(before != null && before.isObject() ? before : null, (ObjectNode) want, have);
        if (!sub.isEmpty()) patch.set(key, sub);
      } else if (!want.equals(have)) {
        patch.set(key, want);
      }
    }
    if (lastApplied != null && live != null) {
      Iterator<String> before = lastApplied.fieldNames();
      while (before.hasNext()) {
        String key = before.next();
        if (!desired.has(key) && live.has(key)) patch.putNull(key);
      }
    }
    return patch;
  }
}
