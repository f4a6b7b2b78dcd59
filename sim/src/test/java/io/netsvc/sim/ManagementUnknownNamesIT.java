package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Management routes answer 404 for a node or NetworkPolicy that does not exist, and asking
 * starts no entity: a GET of a made-up name used to create one through sharding, and keep it.
 */
class ManagementUnknownNamesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void unknownNodesAndPoliciesAre404AndCreateNoEntity() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2")) {
      List<String> nodes =
          sim.client.nodes().list().getItems().stream()
              .map(n -> n.getMetadata().getName())
              .toList();
      String base = sim.sim.members().get(0).member().managementUrl().replaceAll("/$", "");
      // a node that exists is answered once the node singleton's watch has listed it
      await()
          .atMost(WAIT)
          .until(() -> get(base, "/servicelb/nodes/" + nodes.get(0)).statusCode() == 200);
      await().atMost(WAIT).until(() -> entities(base, "Node") == nodes.size());

      HttpResponse<String> ledger = get(base, "/servicelb/nodes/no-such-node");
      HttpResponse<String> netpolNode = get(base, "/netpol/nodes/no-such-node");
      HttpResponse<String> policy = get(base, "/netpol/policies/default/no-such-policy");

      assertThat(ledger.statusCode()).isEqualTo(404);
      assertThat(ledger.body()).isEqualTo("unknown node no-such-node\n");
      assertThat(netpolNode.statusCode()).isEqualTo(404);
      assertThat(policy.statusCode()).isEqualTo(404);
      assertThat(policy.body()).isEqualTo("unknown NetworkPolicy default/no-such-policy\n");
      assertThat(entities(base, "Node")).isEqualTo(nodes.size());
      assertThat(entities(base, "NetworkPolicy")).isZero();
    }
  }

  private static HttpResponse<String> get(String base, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static int entities(String base, String type) throws Exception {
    Matcher m =
        Pattern.compile("\"numEntities\"\\s*:\\s*(\\d+)")
            .matcher(get(base, "/cluster/shards/" + type).body());
    int n = 0;
    while (m.find()) n += Integer.parseInt(m.group(1));
    return n;
  }
}
