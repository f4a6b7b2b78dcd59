package io.netsvc.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A NetworkPolicy's realisation as a user sees it with members as processes: {@code GET
 * /netpol/policies/{ns}/{name}} on a server's Management HTTP ({@code sent} and {@code realised}:
 * node → generation), asking the next server when one does not answer.
 */
final class ManagementStatus implements NetpolSimBench.Realised {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<ProcessMembers.Server> servers;
  private int next;

  ManagementStatus(List<ProcessMembers.Server> servers) {
    this.servers = servers;
  }

  @Override
  public boolean test(String namespace, String name) throws InterruptedException {
    ProcessMembers.Server s = servers.get(next);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + s.managementPort()
                              + "/netpol/policies/"
                              + namespace
                              + "/"
                              + name))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // 404 until the member's caches know the policy; 503 while an ask timed out
      if (r.statusCode() != 200) return false;
      JsonNode status = JSON.readTree(r.body());
      JsonNode sent = status.path("sent");
      return sent.size() > 0 && sent.equals(status.path("realised"));
    } catch (IOException e) {
      next = (next + 1) % servers.size();
      return false;
    }
  }
}
