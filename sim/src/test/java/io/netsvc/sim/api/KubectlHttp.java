package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends the HTTP requests kubectl 1.32 sends (headers copied from {@code kubectl -v=8}). */
final class KubectlHttp {
  static final String TABLE_ACCEPT =
      "application/json;as=Table;v=v1;g=meta.k8s.io,"
          + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  static final String DISCOVERY_ACCEPT =
      "application/json;g=apidiscovery.k8s.io;v=v2;"
          + "as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;"
          + "as=APIGroupDiscoveryList,application/json";
  static final String SMP = "application/strategic-merge-patch+json";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  KubectlHttp(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, String accept) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET());
  }

  JsonNode getJson(String path, String accept) {
    return Json.parse(get(path, accept).body());
  }

  HttpResponse<String> send(String method, String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(String method, String path, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .header("Accept", "application/vnd.kubernetes.protobuf, */*")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpClient client() {
    return http;
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
