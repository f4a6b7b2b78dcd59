package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watch on the {@link SimStore}, over a WebSocket (fabric8 clients) or a chunked HTTP stream
 * (kubectl, client-go). Label and field selectors are evaluated in full, a watch from a
 * resourceVersion resumes after it (410 Gone when that is too old, as from a real server), and
 * objects become Tables when {@code kubectl get -w} asked for them.
 */
final class StoreWatch extends WebSocketListener {
  private final SimStore store;
  private final ResourcePath path;
  private final String resource;
  private final String selector;
  private final java.util.function.Predicate<JsonNode> matches;
  private final String tableVersion;
  private final String kind;
  private final String client;
  private final AtomicBoolean open = new AtomicBoolean();
  private volatile WebSocket socket;

  /**
   * @param client the watching client's User-Agent (null if it sent none)
   */
  StoreWatch(SimStore store, ResourcePath path, String tableVersion, String kind, String client) {
    this.store = store;
    this.path = path;
    this.resource = SimStore.resource(path);
    String labels = path.param("labelSelector");
    String fields = path.param("fieldSelector");
    this.selector = (labels == null ? "" : labels) + (fields == null ? "" : fields);
    this.matches = Selectors.labels(labels).and(Selectors.fields(fields));
    this.tableVersion = tableVersion;
    this.kind = kind;
    this.client = client;
  }

  /** The watched resource's plural name, e.g. {@code pods}. */
  String plural() {
    return path.plural();
  }

  String client() {
    return client;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    socket = webSocket;
    open.set(true);
    long since = parseLong(path.param("resourceVersion"));
    if (!store.watch(this, path, since)) {
      open.set(false);
      ObjectNode gone =
          ApiStatus.failure(
              410,
              "Expired",
              "too old resource version: " + since + " (" + store.resourceVersion() + ")");
      webSocket.send("{\"type\":\"ERROR\",\"object\":" + Json.write(gone) + "}");
      webSocket.close(1000, "expired");
    }
  }

  /** Called by the store, inside its monitor, for every change in resourceVersion order. */
  void offer(SimStore.Change change) {
    if (!open.get() || !change.resource().equals(resource)) return;
    if (!path.namespace().isEmpty() && !path.namespace().equals(change.namespace())) return;
    JsonNode object = selector.isEmpty() && tableVersion == null ? null : Json.parse(change.json());
    if (object != null && !selector.isEmpty() && !matches.test(object)) return;
    String text;
    if (tableVersion == null) {
      text = "{\"type\":\"" + change.type() + "\",\"object\":" + change.json() + "}";
    } else {
      ObjectNode out = Json.object().put("type", change.type());
      out.set(
          "object",
          TableConverter.table(
              List.of(object),
              kind,
              String.valueOf(change.resourceVersion()),
              tableVersion,
              path.param("includeObject"),
              Instant.now()));
      text = Json.write(out);
    }
    if (!socket.send(text)) stop();
  }

  /** Sends {@code text} as it is (an injected fault), if the watch is still open. */
  void sendRaw(String text) {
    if (open.get() && !socket.send(text)) stop();
  }

  private void stop() {
    if (open.compareAndSet(true, false)) store.unwatch(this);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    stop();
    webSocket.close(code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    stop();
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    stop();
  }

  static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
