package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code netsvc sim --dataplane=netns} end to end with real packets: pods created through the API
 * become network namespaces, a NetworkPolicy created through the API blocks traffic between them
 * and deleting it opens it again; stopping the sim leaves no namespace behind.
 */
class SimNetnsIT {
  static final Duration T = Duration.ofSeconds(10);

  static boolean reaches(String fromNs, String ip, int port) {
    try {
      var r =
          CommandRunner.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  fromNs,
                  "timeout",
                  "2",
                  "bash",
                  "-c",
                  "echo > /dev/tcp/" + ip + "/" + port),
              "",
              T);
      return r.exitCode() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static List<String> namespaces() throws Exception {
    return CommandRunner.check(List.of("ip", "netns", "list"), "", T)
        .lines()
        .map(l -> l.split(" ")[0])
        .filter(n -> n.startsWith(SimLab.PREFIX))
        .toList();
  }

  @Test
  void aPolicyThroughTheApiBlocksRealPackets() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root (CI runs the suite as root)");
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2", "--dataplane", "netns")) {
      sim.client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build())
          .create();
      for (String name : List.of("web", "client")) {
        sim.client
            .pods()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("x")
                    .withName(name)
                    .addToLabels("app", name)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("example/" + name)
                    .addNewPort()
                    .withContainerPort(80)
                    .endPort()
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> namespaces().containsAll(List.of("nsim-x-web", "nsim-x-client")));
      String web = sim.client.pods().inNamespace("x").withName("web").get().getStatus().getPodIP();
      await().atMost(Duration.ofSeconds(20)).until(() -> reaches("nsim-x-client", web, 80));

      sim.client
          .network()
          .v1()
          .networkPolicies()
          .resource(
              new NetworkPolicyBuilder()
                  .withNewMetadata()
                  .withNamespace("x")
                  .withName("web-deny")
                  .endMetadata()
                  .withNewSpec()
                  .withNewPodSelector()
                  .addToMatchLabels("app", "web")
                  .endPodSelector()
                  .withPolicyTypes("Ingress")
                  .endSpec()
                  .build())
          .create();
      await().atMost(Duration.ofSeconds(20)).until(() -> !reaches("nsim-x-client", web, 80));
      sim.client.network().v1().networkPolicies().inNamespace("x").withName("web-deny").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> reaches("nsim-x-client", web, 80));
    }
    assertThat(namespaces()).isEmpty();
  }
}
