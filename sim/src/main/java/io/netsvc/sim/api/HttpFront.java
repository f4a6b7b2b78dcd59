package io.netsvc.sim.api;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the sim API, in place of fabric8's MockWebServer: the same dispatcher and
 * WebSocket watches (fabric8 clients), plus watches streamed over plain chunked HTTP, which is how
 * kubectl and client-go watch ({@code kubectl get -w}, {@code kubectl delete}'s wait). It also
 * keeps no log of requests, which MockWebServer does without bound.
 */
final class HttpFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

  private final Vertx vertx = Vertx.vertx();
  private final Dispatcher dispatcher;
  private final List<HttpServer> servers = new ArrayList<>();
  private final WriteLog writes = WriteLog.fromSystemProperty();

  HttpFront(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Binds and returns the actual port. One server instance per core on the same port: Vert.x
   * spreads connections over their event loops (a single instance would use one thread).
   */
  int start(String host, int port) {
    // Vert.x shares one random port among instances that listen on the same negative port.
    int bind = port == 0 ? -1 : port;
    int actual = listen(host, bind);
    int loops = Math.min(4, Runtime.getRuntime().availableProcessors());
    for (int i = 1; i < loops; i++) listen(host, bind);
    return actual;
  }

  private int listen(String host, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    server.requestHandler(this::handle);
    servers.add(server);
    return await(server.listen()).actualPort();
  }

  /**
   * One more listener on a free port of {@code host}, over TLS with this PEM certificate and key:
   * for clients that speak only https to an API server (Pekko's kubernetes-api discovery). Not
   * restarted by {@link #start} after {@link #stop}.
   */
  int startTls(String host, String certPem, String keyPem) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(0)
            .setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPem).setKeyPath(keyPem));
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(this::handle);
    servers.add(server);
    return await(server.listen()).actualPort();
  }

  private void handle(HttpServerRequest req) {
    writes.record(req);
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      // The upgrade must happen before the request is read (see fabric8's own handler).
      RecordedRequest recorded = recorded(req, null);
      MockResponse response = dispatcher.dispatch(recorded);
      if (response.getWebSocketListener() != null) {
        req.toWebSocket()
            .onSuccess(new ServerWebSocketHandler(recorded, response))
            .onFailure(err -> fail(req, err));
        return;
      }
      req.body().onComplete(ignored -> send(req.response(), response));
      return;
    }
    req.body()
        .onFailure(err -> fail(req, err))
        .onSuccess(
            body -> {
              MockResponse response = dispatcher.dispatch(recorded(req, body));
              if (response.getWebSocketListener() != null)
                stream(req, recorded(req, null), response);
              else send(req.response(), response);
            });
  }

  private void stream(HttpServerRequest req, RecordedRequest recorded, MockResponse mock) {
    WebSocketListener listener = mock.getWebSocketListener();
    HttpServerResponse resp = req.response();
    resp.setStatusCode(200).setChunked(true).putHeader("Content-Type", MediaTypes.JSON);
    HttpStreamSocket socket = new HttpStreamSocket(recorded, resp);
    resp.writeHead();
    // WatchEventsListener.onClosed waits for its executor: keep it off the event loop.
    AtomicBoolean once = new AtomicBoolean();
    Runnable closed =
        () -> {
          if (once.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> listener.onClosed(socket, 1000, "closed"));
          }
        };
    resp.closeHandler(v -> closed.run());
    long timeout =
        StoreWatch.parseLong(
            ResourcePath.parseQuery(query(req.uri())).getOrDefault("timeoutSeconds", "0"));
    if (timeout > 0) {
      vertx.setTimer(
          TimeUnit.SECONDS.toMillis(timeout),
          id -> {
            socket.close(1000, "timeout");
            closed.run();
          });
    }
    listener.onOpen(socket, mock);
  }

  private static String query(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? "" : uri.substring(q + 1);
  }

  private static void send(HttpServerResponse resp, MockResponse mock) {
    resp.setStatusCode(mock.code());
    mock.getHeaders().toMultimap().forEach((k, values) -> resp.headers().add(k, values));
    byte[] body = mock.getBody() == null ? new byte[0] : mock.getBody().getBytes();
    resp.end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  private static void fail(HttpServerRequest req, Throwable err) {
    log.debug("sim API: {} {} failed", req.method(), req.uri(), err);
    if (!req.response().headWritten()) req.response().setStatusCode(500).end();
  }

  private static RecordedRequest recorded(HttpServerRequest req, io.vertx.core.buffer.Buffer body) {
    return new RecordedRequest(
        req.version().alpnName().toUpperCase(Locale.ROOT),
        HttpMethod.fromVertx(req.method()),
        req.uri(),
        Headers.builder().addAll(req.headers()).build(),
        new Buffer(body == null ? null : body.getBytes()));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("sim API: " + e.getMessage(), e);
    }
  }

  /**
   * Stops listening and drops every open connection, watches included, as an API server that went
   * down; {@link #start} may listen again (on the same port, for an outage that ends).
   */
  void stop() {
    servers.forEach(server -> await(server.close()));
    servers.clear();
  }

  @Override
  public void close() {
    stop();
    await(vertx.close());
    writes.close();
  }
}
