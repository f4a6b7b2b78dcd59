package io.netsvc.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GETs on a member's Management HTTP (loopback), as a user would with curl. */
final class Management {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * An answer: its HTTP status, its body as JSON (missing if it is not JSON) and as text (for
   * messages).
   */
  record Answer(int code, JsonNode body, String text) {
    @Override
    public String toString() {
      return "HTTP " + code + " " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
  }

  private Management() {}

  /**
   * GET {@code path} on {@code host}:{@code port}, empty if nothing answers within {@code timeout}.
   */
  static Optional<Answer> get(String host, int port, String path, Duration timeout) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Answer(r.statusCode(), parse(r.body()), r.body().strip()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
