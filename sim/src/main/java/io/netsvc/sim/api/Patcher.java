package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Optional;

/**
 * PATCH requests: strategic-merge, JSON merge and JSON patches are applied here to the stored
 * object and the result is stored as an update carrying the current resourceVersion, inside the
 * store's monitor (so the read-merge-write is atomic). Server-side apply is refused with a clear
 * message.
 */
final class Patcher {
  private final SimDispatcher sim;

  Patcher(SimDispatcher sim) {
    this.sim = sim;
  }

  MockResponse patch(ResourcePath rp, RecordedRequest request) {
    String type = MediaTypes.baseType(request.getHeader("Content-Type"));
    if (type.equals(MediaTypes.APPLY_YAML)) {
      return SimDispatcher.json(
          415, ApiStatus.failure(415, "UnsupportedMediaType", ApiStatus.SERVER_SIDE_APPLY_MESSAGE));
    }
    if (rp.isList()) {
      return SimDispatcher.json(405, ApiStatus.forCode(405, "PATCH needs an object name"));
    }
    boolean strategic = type.equals(MediaTypes.STRATEGIC_MERGE);
    boolean merge = strategic || type.equals(MediaTypes.MERGE);
    JsonNode patch = Json.parse(Json.text(request.getBody()));
    synchronized (sim.store) {
      Optional<String> stored = sim.store.get(rp);
      if (stored.isEmpty()) {
        return SimDispatcher.json(404, ApiStatus.notFound(rp.plural(), rp.name()));
      }
      JsonNode current = Json.parse(stored.get());
      JsonNode merged;
      if (!merge) {
        try {
          merged = JsonPatch.apply(patch, current);
        } catch (RuntimeException e) {
          return SimDispatcher.json(
              422,
              ApiStatus.failure(
                  422, "Invalid", "the JSON patch does not apply: " + e.getMessage()));
        }
      } else if (strategic) merged = StrategicMerge.strategic(current, patch);
      else merged = StrategicMerge.jsonMerge(current, patch);
      if (!(merged instanceof ObjectNode object)) {
        return SimDispatcher.json(
            422, ApiStatus.failure(422, "Invalid", "the patch result is not an object"));
      }
      String wanted = merged.path("metadata").path("resourceVersion").asText("");
      String have = current.path("metadata").path("resourceVersion").asText("");
      if (!wanted.isEmpty() && !wanted.equals(have)) { // the patch carried a precondition
        return SimDispatcher.answer(SimStore.conflict(rp));
      }
      return SimDispatcher.answer(sim.update(rp, object));
    }
  }
}
