package io.netsvc.k8s.deploy.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The wrangler "objectset" metadata K3s puts on everything an Addon applies: a hash label that
 * selects the Addon's objects for pruning, owner annotations naming the Addon (no ownerReferences),
 * and the last applied object for the next three-way merge.
 */
public final class Ownership {
  public static final String HASH_LABEL = "objectset.rio.cattle.io/hash";
  public static final String OWNER_GVK = "objectset.rio.cattle.io/owner-gvk";
  public static final String OWNER_NAME = "objectset.rio.cattle.io/owner-name";
  public static final String OWNER_NAMESPACE = "objectset.rio.cattle.io/owner-namespace";
  public static final String APPLIED = "objectset.rio.cattle.io/applied";
  public static final String ADDON_GVK = "k3s.cattle.io/v1, Kind=Addon";
  public static final String ADDON_NAMESPACE = "kube-system";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Ownership() {}

  /** The hash label value of Addon kube-system/{@code addonName}: sha1 of owner GVK + ns + name. */
  public static String hash(String addonName) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(ADDON_GVK.getBytes(StandardCharsets.UTF_8));
      sha1.update(ADDON_NAMESPACE.getBytes(StandardCharsets.UTF_8));
      sha1.update(addonName.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }

  /**
   * A copy of {@code object} (null values dropped, as they mean "delete" in a merge patch) that
   * carries the ownership label and annotations and, in {@link #APPLIED}, itself as applied.
   */
  public static ObjectNode decorate(ObjectNode object, String addonName) {
    ObjectNode out = object.deepCopy();
    stripNulls(out);
    ObjectNode meta = out.withObjectProperty("metadata");
    meta.withObjectProperty("labels").put(HASH_LABEL, hash(addonName));
    ObjectNode annotations = meta.withObjectProperty("annotations");
    annotations.remove(APPLIED);
    annotations.put(OWNER_GVK, ADDON_GVK);
    annotations.put(OWNER_NAME, addonName);
    annotations.put(OWNER_NAMESPACE, ADDON_NAMESPACE);
    annotations.put(APPLIED, encodeApplied(out));
    return out;
  }

  /** gzip + base64 of the JSON, as wrangler stores it (annotations are limited to 256 KiB). */
  public static String encodeApplied(JsonNode applied) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(JSON.writeValueAsBytes(applied));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** The object an {@link #APPLIED} value holds (gzip+base64 or plain JSON), or null. */
  public static JsonNode decodeApplied(String value) {
    if (value == null || value.isBlank()) return null;
    try {
      if (value.startsWith("{")) return JSON.readTree(value);
      byte[] zipped = Base64.getDecoder().decode(value.trim());
      try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
        return JSON.readTree(gz);
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return null;
    } catch (IOException e) {
      return null; // not gzip: someone else's annotation; fall back to a plain merge
    }
  }

  private static void stripNulls(JsonNode node) {
    if (!node.isObject()) return;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) it.remove();
      else stripNulls(e.getValue());
    }
  }
}
