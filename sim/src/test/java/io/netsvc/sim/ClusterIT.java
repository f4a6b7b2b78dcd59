package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.netsvc.cluster.NetsvcMember;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Several members, ExternalIP preference, and --disable=servicelb on a running API. */
class ClusterIT {

  @Test
  void twoMembersShareTheEntitiesAndServicesStillConverge() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "4", "--members", "2")) {
      assertThat(sim.sim.members()).hasSize(2);
      for (int i = 0; i < 12; i++) sim.create(SimHarness.lb("default", "s" + i, 2000 + i));
      List<String> all = List.of("172.30.0.2", "172.30.0.3", "172.30.0.4", "172.30.0.5");
      for (int i = 0; i < 12; i++) sim.awaitIngress("default", "s" + i, all);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (NetsvcMember m : sim.sim.members()) {
                  assertThat(entities(m.member().managementUrl(), "ServiceLbService"))
                      .as("ServiceActors on " + m.member().managementUrl())
                      .isPositive();
                }
              });
      assertThat(sim.management("/cluster/members")).contains("\"status\":\"Up\"");
    }
  }

  @Test
  void anyExternalIpHidesAllInternalIps() throws Exception {
    String scenario =
        """
        nodes:
          - {name: n1, internalIP: 10.1.0.1}
          - {name: n2, internalIP: 10.1.0.2, externalIP: 203.0.113.2}
        """;
    try (SimHarness sim = SimHarness.start(scenario)) {
      sim.create(SimHarness.lb("default", "pub", 3000));
      sim.awaitIngress("default", "pub", List.of("203.0.113.2"));
    }
  }

  @Test
  void disableServiceLbDeletesDaemonSetsAndFinalizers() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2")) {
      Service s = sim.create(SimHarness.lb("default", "old", 3100));
      sim.awaitIngress("default", "old", List.of("172.30.0.2", "172.30.0.3"));
      sim.sim.restartMembers(withServiceLbDisabled(sim.sim.settings()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  sim.client
                          .apps()
                          .daemonSets()
                          .inNamespace("kube-system")
                          .list()
                          .getItems()
                          .isEmpty()
                      && sim.get("default", "old").getMetadata().getFinalizers().isEmpty());
      sim.client.services().resource(s).delete();
      await().until(() -> sim.get("default", "old") == null);
    }
  }

  private static Settings withServiceLbDisabled(Settings s) {
    Set<Component> disabled = new HashSet<>(s.disabled());
    disabled.add(Component.SERVICELB);
    return s.withDisabled(disabled);
  }

  private static int entities(String mgmt, String type) throws Exception {
    String body =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(mgmt.replaceAll("/$", "") + "/cluster/shards/" + type))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("\"numEntities\"\\s*:\\s*(\\d+)").matcher(body);
    int n = 0;
    while (m.find()) n += Integer.parseInt(m.group(1));
    return n;
  }
}
