package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** metav1.Status bodies for errors, so kubectl prints a real reason instead of an empty 4xx. */
final class ApiStatus {
  static final String PROTOBUF_MESSAGE =
      "netsvc sim: protobuf request bodies are not supported; "
          + "write the object as YAML and use kubectl apply -f";
  static final String SERVER_SIDE_APPLY_MESSAGE =
      "netsvc sim: server-side apply is not supported; use kubectl apply without --server-side";

  private ApiStatus() {}

  static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return status;
  }

  static ObjectNode notFound(String plural, String name) {
    String message =
        name == null || name.isEmpty()
            ? "the server could not find the requested resource"
            : plural + " \"" + name + "\" not found";
    ObjectNode status = failure(404, "NotFound", message);
    if (name != null && !name.isEmpty())
      status.putObject("details").put("name", name).put("kind", plural);
    return status;
  }

  static ObjectNode forCode(int code, String message) {
    String reason =
        switch (code) {
          case 400 -> "BadRequest";
          case 404 -> "NotFound";
          case 405 -> "MethodNotAllowed";
          case 409 -> "Conflict";
          case 415 -> "UnsupportedMediaType";
          case 422 -> "Invalid";
          default -> code >= 500 ? "InternalError" : "Unknown";
        };
    return failure(code, reason, message);
  }
}
