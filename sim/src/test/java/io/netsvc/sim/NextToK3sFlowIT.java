package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netsvc.cluster.DeployWiring;
import io.netsvc.config.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * netsvc running while K3s's own deployer takes CoreDNS over (a K3s server restarted with CoreDNS
 * enabled rewrites the Addon's source and applies its copy): netsvc's restarted members leave K3s's
 * CoreDNS alone, report the conflict on the Addon and in {@code netsvc_deploy_conflicts}, keep
 * serving everything else, and {@code --disable=coredns} deletes none of K3s's. The methods run in
 * order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NextToK3sFlowIT {
  static final String NS = "kube-system";
  static final String K3S_SOURCE = "/var/lib/rancher/k3s/server/manifests/coredns.yaml";
  static final String K3S_COREFILE = ".:53 {\n    forward . /etc/resolv.conf # K3s's\n}\n";
  static final ResourceDefinitionContext ADDONS =
      PackagedComponentsFlowIT.crd("k3s.cattle.io", "addons", "Addon");
  static final ResourceDefinitionContext HELM_CHARTS =
      PackagedComponentsFlowIT.crd("helm.cattle.io", "helmcharts", "HelmChart");
  SimHarness sim;
  Path manifests;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "1");
    manifests = DeployWiring.manifestsDir(sim.sim.settings());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> addon("coredns") != null && corefile() != null);
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private GenericKubernetesResource addon(String name) {
    return sim.client.genericKubernetesResources(ADDONS).inNamespace(NS).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private String source(String name) {
    GenericKubernetesResource a = addon(name);
    return a == null
        ? null
        : ((Map<String, Object>) a.getAdditionalProperties().get("spec")).get("source").toString();
  }

  private String corefile() {
    ConfigMap cm = sim.client.configMaps().inNamespace(NS).withName("coredns").get();
    return cm == null || cm.getData() == null ? null : cm.getData().get("Corefile");
  }

  private double conflictsGauge() throws Exception {
    return sim.management("/metrics")
        .lines()
        .filter(l -> l.startsWith("netsvc_deploy_conflicts "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  @Test
  @Order(1)
  void afterK3sTookCoreDnsOverNetsvcLeavesItAndSaysSo() throws Exception {
    assertThat(source("coredns")).isEqualTo(manifests.resolve("coredns.yaml").toString());
    // what K3s's deployer does: source to its own file (other fields kept), its copy applied
    sim.client
        .genericKubernetesResources(ADDONS)
        .inNamespace(NS)
        .withName("coredns")
        .edit(
            a -> {
              a.setAdditionalProperty("spec", Map.of("source", K3S_SOURCE, "checksum", "k3s"));
              return a;
            });
    sim.client
        .configMaps()
        .inNamespace(NS)
        .withName("coredns")
        .edit(
            c -> {
              Map<String, String> data = new HashMap<>(c.getData());
              data.put("Corefile", K3S_COREFILE);
              c.setData(data);
              return c;
            });

    // a restart stages and force-applies every manifest: coredns.yaml is the one it must not
    sim.sim.restartMembers(sim.sim.settings().withDisabled(EnumSet.noneOf(Component.class)));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sim.hasEvent(
                    NS,
                    "coredns",
                    "Warning AddonConflict: Addon kube-system/coredns belongs to K3s"));
    await().atMost(Duration.ofSeconds(20)).until(() -> conflictsGauge() == 1.0);
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
    assertThat(source("coredns")).isEqualTo(K3S_SOURCE);
    // everything else is still served: a dropped manifest is applied
    Files.writeString(
        manifests.resolve("hello.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello, namespace: default}\n");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> sim.client.configMaps().inNamespace("default").withName("hello").get() != null);
    assertThat(
            sim.client
                .genericKubernetesResources(HELM_CHARTS)
                .inNamespace(NS)
                .withName("traefik")
                .get())
        .isNotNull();
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
  }

  @Test
  @Order(2)
  void disablingCoreDnsInNetsvcDeletesNoneOfK3s() throws Exception {
    sim.sim.restartMembers(sim.sim.settings().withDisabled(EnumSet.of(Component.COREDNS)));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(manifests.resolve("coredns.yaml")));
    // the pass that removed netsvc's file looked at K3s's Addon first, and left it
    assertThat(source("coredns")).isEqualTo(K3S_SOURCE);
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
    assertThat(sim.client.services().inNamespace(NS).withName("kube-dns").get()).isNotNull();
    assertThat(sim.client.apps().deployments().inNamespace(NS).withName("coredns").get())
        .isNotNull();
    assertThat(sim.events(NS, "coredns")).noneMatch(e -> e.contains("DeletingManifest"));
  }
}
