package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netsvc.cluster.DeployWiring;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Packaged components as a user of {@code netsvc sim} meets them: CoreDNS and Traefik appear, the
 * Traefik LoadBalancer is served by ServiceLB, NodeHosts follows the nodes, a dropped manifest is
 * applied at once, and restarts stage, keep and disable as documented. The methods run in order:
 * later ones restart the members with other flags.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedComponentsFlowIT {
  static final String NS = "kube-system";
  static final ResourceDefinitionContext HELM_CHARTS =
      crd("helm.cattle.io", "helmcharts", "HelmChart");
  static final ResourceDefinitionContext ADDONS = crd("k3s.cattle.io", "addons", "Addon");
  SimHarness sim;
  Path manifests;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "2");
    manifests = DeployWiring.manifestsDir(sim.sim.settings());
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  static ResourceDefinitionContext crd(String group, String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion("v1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  private GenericKubernetesResource get(ResourceDefinitionContext ctx, String name) {
    return sim.client.genericKubernetesResources(ctx).inNamespace(NS).withName(name).get();
  }

  private String nodeHosts() {
    ConfigMap cm = sim.client.configMaps().inNamespace(NS).withName("coredns").get();
    return cm == null || cm.getData() == null ? null : cm.getData().get("NodeHosts");
  }

  private DaemonSet svclbOf(String service) {
    return sim.client.apps().daemonSets().inNamespace(NS).list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith("svclb-" + service + "-"))
        .findFirst()
        .orElse(null);
  }

  private void restart(Set<Component> disabled) throws Exception {
    Settings next = sim.sim.settings().withDisabled(disabled);
    sim.sim.restartMembers(next);
  }

  @Test
  @Order(1)
  void coreDnsAndTraefikAppearAndTraefikIsALoadBalancer() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sim.client.services().inNamespace(NS).withName("kube-dns").get() != null);
    assertThat(
            sim.client
                .services()
                .inNamespace(NS)
                .withName("kube-dns")
                .get()
                .getSpec()
                .getClusterIP())
        .isEqualTo("10.43.0.10");
    assertThat(sim.client.apps().deployments().inNamespace(NS).withName("coredns").get())
        .isNotNull();
    assertThat(get(HELM_CHARTS, "traefik")).isNotNull();
    assertThat(get(HELM_CHARTS, "traefik-crd")).isNotNull();
    assertThat(get(ADDONS, "coredns").getMetadata().getAnnotations())
        .containsKey("addon.k3s.cattle.io/gvks");
    sim.awaitIngress(NS, "traefik", List.of("172.30.0.2", "172.30.0.3"));
    assertThat(svclbOf("traefik").getSpec().getTemplate().getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("lb-tcp-80", "lb-tcp-443");
  }

  @Test
  @Order(2)
  void nodeHostsFollowsTheNodes() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "172.30.0.2 node-1\n172.30.0.3 node-2\n".equals(nodeHosts()));
    sim.client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("extra-1")
                .endMetadata()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("172.30.0.100")
                .endAddress()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("fd00::100")
                .endAddress()
                .endStatus()
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                nodeHosts().contains("172.30.0.100 extra-1\n")
                    && nodeHosts().contains("fd00::100 extra-1\n"));
    sim.client.nodes().withName("extra-1").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> !nodeHosts().contains("extra-1"));
  }

  @Test
  @Order(3)
  void aDroppedManifestIsAppliedAtOnce() throws Exception {
    Files.writeString(
        manifests.resolve("hello.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello, namespace: default}\ndata: {a: b}\n");
    // well inside the 15 s safety rescan: the directory watch picked it up
    await()
        .atMost(Duration.ofSeconds(8))
        .until(
            () -> sim.client.configMaps().inNamespace("default").withName("hello").get() != null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.hasEvent(NS, "hello", "Normal AppliedManifest"));
  }

  @Test
  @Order(4)
  void aRestartRewritesTheStagedFileAndKeepsTheUsersOwn() throws Exception {
    Path traefik = manifests.resolve("traefik.yaml");
    String staged = Files.readString(traefik);
    Files.writeString(traefik, staged + "\n# edited by hand\n");
    Files.writeString(
        manifests.resolve("traefik-config.yaml"),
        "apiVersion: helm.cattle.io/v1\nkind: HelmChartConfig\nmetadata: {name: traefik, namespace: kube-system}\nspec:\n  valuesContent: |-\n    logs: {general: {level: DEBUG}}\n");
    restart(EnumSet.noneOf(Component.class));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(traefik).equals(staged));
    assertThat(Files.readString(manifests.resolve("traefik-config.yaml"))).contains("DEBUG");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get(crd("helm.cattle.io", "helmchartconfigs", "HelmChartConfig"), "traefik")
                    != null);
  }

  @Test
  @Order(5)
  void disablingTraefikRemovesItsChartsAndItsLoadBalancer() throws Exception {
    restart(EnumSet.of(Component.TRAEFIK));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(HELM_CHARTS, "traefik") == null
                    && get(HELM_CHARTS, "traefik-crd") == null
                    && get(ADDONS, "traefik") == null);
    assertThat(manifests.resolve("traefik.yaml")).doesNotExist();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> sim.get(NS, "traefik") == null && svclbOf("traefik") == null);
    // the user's own file next to it is not touched
    assertThat(manifests.resolve("traefik-config.yaml")).exists();
  }

  @Test
  @Order(6)
  void disablingCoreDnsWorksEvenWhenItsFileIsAlreadyGone() throws Exception {
    Files.delete(manifests.resolve("coredns.yaml"));
    restart(EnumSet.of(Component.TRAEFIK, Component.COREDNS));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sim.client.services().inNamespace(NS).withName("kube-dns").get() == null
                    && sim.client.configMaps().inNamespace(NS).withName("coredns").get() == null
                    && get(ADDONS, "coredns") == null);
    assertThat(sim.client.apps().deployments().inNamespace(NS).withName("coredns").get()).isNull();
    assertThat(manifests.resolve("coredns.yaml")).doesNotExist();
  }
}
