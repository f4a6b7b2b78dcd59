package io.netsvc.k8s.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;

/**
 * PATCH requests. Strategic-merge and JSON merge patches are applied here in Java (the CRUD mock
 * answers the first with 415 and keeps {@code null}s of the second) and the result is stored as an
 * update carrying the current resourceVersion, under the dispatcher's write lock. JSON patches go
 * to the CRUD mock unchanged; server-side apply is refused with a clear message.
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
    if (!strategic && !type.equals(MediaTypes.MERGE)) {
      return rp.isDryRun() ? jsonPatchDryRun(rp, request) : sim.crud.handlePatch(request);
    }
    JsonNode current = current(rp);
    if (current == null) return SimDispatcher.json(404, ApiStatus.notFound(rp.plural(), rp.name()));
    JsonNode patch = Json.parse(Json.text(request.getBody()));
    JsonNode merged =
        strategic
            ? StrategicMerge.strategic(current, patch)
            : StrategicMerge.jsonMerge(current, patch);
    String wanted = merged.path("metadata").path("resourceVersion").asText("");
    String have = current.path("metadata").path("resourceVersion").asText("");
    if (!wanted.isEmpty() && !wanted.equals(have)) { // the patch carried a precondition
      return SimDispatcher.json(
          409,
          ApiStatus.failure(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + rp.plural()
                  + " \""
                  + rp.name()
                  + "\": the object has been modified; please apply your "
                  + "changes to the latest version and try again"));
    }
    if (rp.isDryRun()) return SimDispatcher.json(200, merged);
    byte[] body = Json.write(merged).getBytes(StandardCharsets.UTF_8);
    RecordedRequest put =
        new RecordedRequest(
            request.getHttpVersion(),
            HttpMethod.PUT,
            request.getPath(),
            Headers.builder().add("Content-Type", MediaTypes.JSON).build(),
            new Buffer(body));
    return sim.crud.handleUpdate(put);
  }

  private MockResponse jsonPatchDryRun(ResourcePath rp, RecordedRequest request) {
    JsonNode current = current(rp);
    if (current == null) return SimDispatcher.json(404, ApiStatus.notFound(rp.plural(), rp.name()));
    return SimDispatcher.json(
        200, JsonPatch.apply(Json.parse(Json.text(request.getBody())), current));
  }

  private JsonNode current(ResourcePath rp) {
    MockResponse r = sim.crud.handleGet(rp.objectPath());
    return r.code() == 200 ? Json.parse(Json.text(r.getBody())) : null;
  }
}
