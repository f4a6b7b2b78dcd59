package io.netsvc.k8s.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Wraps the CRUD mock's watch listener so that watches behave more like a real API server's: label
 * and field selectors are evaluated in full, the replay of objects the client already listed (rv ≤
 * the watch's {@code resourceVersion}) is skipped, and objects become Tables when {@code kubectl
 * get -w} asked for them.
 */
final class WatchFilter extends WebSocketListener {
  private final WebSocketListener delegate;
  private final Predicate<JsonNode> selector;
  private final long sinceResourceVersion;
  private final String tableVersion;
  private final String kind;
  private final String includeObject;
  private final Consumer<WebSocketListener> unregister;
  private volatile FilteringSocket socket;

  WatchFilter(
      WebSocketListener delegate,
      Consumer<WebSocketListener> unregister,
      Predicate<JsonNode> selector,
      long sinceResourceVersion,
      String tableVersion,
      String kind,
      String includeObject) {
    this.delegate = delegate;
    this.unregister = unregister;
    this.selector = selector;
    this.sinceResourceVersion = sinceResourceVersion;
    this.tableVersion = tableVersion;
    this.kind = kind;
    this.includeObject = includeObject;
  }

  private FilteringSocket wrap(WebSocket ws) {
    FilteringSocket s = socket;
    if (s == null || s.target != ws) {
      s = new FilteringSocket(ws);
      socket = s;
    }
    return s;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrap(webSocket), code, reason);
  }

  // The mock's listener waits for its send executor in onClosed/onFailure; on the Vert.x event
  // loop that wait blocks the very thread its pending sends need (a 30 s stall per closed watch
  // under load), so the clean-up runs on a thread of its own.
  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    unregister.accept(delegate);
    WebSocket ws = wrap(webSocket);
    CompletableFuture.runAsync(() -> delegate.onClosed(ws, code, reason));
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    unregister.accept(delegate);
    WebSocket ws = wrap(webSocket);
    CompletableFuture.runAsync(() -> delegate.onFailure(ws, error, response));
  }

  /** The event to send instead of {@code eventJson}, or null to drop it. */
  String transform(String eventJson) {
    JsonNode event = Json.parse(eventJson);
    JsonNode object = event.path("object");
    String type = event.path("type").asText("");
    long rv = parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    if (type.equals("ADDED") && sinceResourceVersion > 0 && rv <= sinceResourceVersion) return null;
    if (!selector.test(object)) return null;
    if (tableVersion == null) return eventJson;
    ObjectNode out = Json.object().put("type", type);
    out.set(
        "object",
        TableConverter.table(
            List.of(object), kind, String.valueOf(rv), tableVersion, includeObject, Instant.now()));
    return Json.write(out);
  }

  static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private final class FilteringSocket implements WebSocket {
    final WebSocket target;

    FilteringSocket(WebSocket target) {
      this.target = target;
    }

    @Override
    public RecordedRequest request() {
      return target.request();
    }

    @Override
    public boolean send(String text) {
      String out = transform(text);
      return out == null || target.send(out);
    }

    @Override
    public boolean send(byte[] bytes) {
      return target.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return target.close(code, reason);
    }
  }
}
