package io.netsvc.sim.api;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Presents a chunked HTTP response as the mock's {@link WebSocket}: each watch event the CRUD
 * dispatcher "sends" becomes one line of the stream, as a real API server writes watches.
 */
final class HttpStreamSocket implements WebSocket {
  private final RecordedRequest request;
  private final HttpServerResponse response;
  private final AtomicBoolean closed = new AtomicBoolean();

  HttpStreamSocket(RecordedRequest request, HttpServerResponse response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    if (closed.get()) return false;
    // Vert.x responses may be written from any thread; never wait here (the caller may hold locks).
    try {
      response.write(text + "\n");
      return true;
    } catch (IllegalStateException e) { // the client went away
      closed.set(true);
      return false;
    }
  }

  @Override
  public boolean send(byte[] bytes) {
    return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean close(int code, String reason) {
    if (closed.compareAndSet(false, true) && !response.ended() && !response.closed())
      response.end();
    return true;
  }
}
