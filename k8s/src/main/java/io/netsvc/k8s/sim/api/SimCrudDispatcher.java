package io.netsvc.k8s.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRUD dispatcher with real-looking UIDs. fabric8 numbers UIDs ({@code
 * 00000000-0000-0000-0000-000000000017}), so every object's first eight UID characters are equal,
 * and K3s-style names built from them ({@code svclb-<name>-<uid8>}) would collide across
 * namespaces. A created object's UID is replaced, as it is stored, by a UUID derived from it with a
 * per-server secret; {@link #realUid} maps the mock's UID in the create response the same way.
 */
class SimCrudDispatcher extends KubernetesCrudDispatcher {
  private static final Logger log = LoggerFactory.getLogger(SimCrudDispatcher.class);
  private static final String MOCK_UID_PREFIX = "00000000-0000-0000-";
  private final byte[] salt = new byte[16];
  private final Set<?> watchListeners = watchListeners();

  SimCrudDispatcher() {
    new SecureRandom().nextBytes(salt);
  }

  /**
   * Unregisters a watch before it is closed. The mock removes a closed watch only after shutting
   * down its executor, and a write that reaches it in between fails with RejectedExecutionException
   * (a 500, and the remaining watchers miss the event). The set is private, hence reflection;
   * without it the old race remains.
   */
  void forgetWatch(WebSocketListener listener) {
    if (watchListeners != null) watchListeners.remove(listener);
  }

  private Set<?> watchListeners() {
    try {
      Field f = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
      f.setAccessible(true);
      return (Set<?>) f.get(this);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "sim API: cannot reach the mock's watch listeners; closing watches may race writes", e);
      return null;
    }
  }

  String realUid(String uid) {
    if (uid == null || !uid.startsWith(MOCK_UID_PREFIX)) return uid;
    byte[] id = uid.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[salt.length + id.length];
    System.arraycopy(salt, 0, input, 0, salt.length);
    System.arraycopy(id, 0, input, salt.length, id.length);
    return UUID.nameUUIDFromBytes(input).toString();
  }

  /** Rewrites {@code metadata.uid} of an object's JSON; returns the input when nothing changes. */
  String withRealUid(String json) {
    JsonNode node = Json.parse(json);
    JsonNode meta = node.path("metadata");
    String uid = meta.path("uid").asText(null);
    String real = realUid(uid);
    if (real == null || real.equals(uid) || !meta.isObject()) return json;
    ((ObjectNode) meta).put("uid", real);
    return Json.write(node);
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    String state = newState;
    if (oldAttributes == null && newState != null) { // a create
      state = withRealUid(newState);
      if (resource != null && resource.getMetadata() != null) {
        resource.getMetadata().setUid(realUid(resource.getMetadata().getUid()));
      }
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, state);
  }
}
