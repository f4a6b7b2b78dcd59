package io.netsvc.k8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.netsvc.k8s.deploy.model.TemplateVars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Disabling components and living beside the packaged coredns and traefik manifests. */
class PackagedComponentsIT extends DeployFlowBase {

  @Test
  void disablingRemovesObjectsAddonAndFile() throws Exception {
    Path file = write("app.yaml", TWO_MAPS_AND_A_SECRET);
    pass(Set.of(), false);

    assertThat(pass(Set.of("app"), false)).isEqualTo(new PassResult(0, 0, 0, 1));

    assertThat(configMap("default", "app-a")).isNull();
    assertThat(configMap("kube-system", "app-b")).isNull();
    assertThat(client.secrets().inNamespace("default").withName("app-s").get()).isNull();
    assertThat(addon("app")).isNull();
    assertThat(file).doesNotExist();
    assertThat(events("app", "DeletingManifest"))
        .extracting(Event::getMessage)
        .containsExactly("Deleting manifest at \"" + file + "\"");
    assertThat(pass(Set.of("app"), false)).isEqualTo(new PassResult(0, 0, 0, 0));
  }

  @Test
  void disablingCleansUpEvenWhenTheFileIsGone() throws Exception {
    Path file = write("app.yaml", TWO_MAPS_AND_A_SECRET);
    write("other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n");
    pass(Set.of(), false);
    Files.delete(file);

    assertThat(pass(Set.of("app"), false)).isEqualTo(new PassResult(0, 1, 0, 1));

    assertThat(configMap("default", "app-a")).isNull();
    assertThat(client.secrets().inNamespace("default").withName("app-s").get()).isNull();
    assertThat(addon("app")).isNull();
    assertThat(configMap("default", "other")).isNotNull(); // another Addon's object stays
  }

  @Test
  void aHelmChartConfigBesideTraefikSurvivesRestaging() throws Exception {
    Staging.stage(dir, VARS, Set.of());
    write(
        "traefik-config.yaml",
        """
        apiVersion: helm.cattle.io/v1
        kind: HelmChartConfig
        metadata: {name: traefik, namespace: kube-system}
        spec:
          valuesContent: |-
            logs: {access: {enabled: true}}
        """);
    assertThat(pass(Set.of(), true).deployed()).isEqualTo(3); // coredns, traefik, config

    Staging.stage(dir, VARS, Set.of()); // the next boot
    assertThat(pass(Set.of(), true).failed()).isZero();

    assertThat(dir.resolve("traefik-config.yaml")).exists();
    GenericKubernetesResource config =
        client
            .genericKubernetesResources("helm.cattle.io/v1", "HelmChartConfig")
            .inNamespace("kube-system")
            .withName("traefik")
            .get();
    assertThat(spec(config).get("valuesContent")).isEqualTo("logs: {access: {enabled: true}}");
    assertThat(
            client
                .genericKubernetesResources("helm.cattle.io/v1", "HelmChart")
                .inNamespace("kube-system")
                .withName("traefik")
                .get())
        .isNotNull();
  }

  @Test
  void nodeHostsWrittenBySomeoneElseSurvivesARedeploy() throws Exception {
    Staging.stage(dir, VARS, Set.of("traefik"));
    pass(Set.of(), true);
    client
        .configMaps()
        .inNamespace("kube-system")
        .withName("coredns")
        .edit(
            cm -> {
              cm.getData().put("NodeHosts", "10.0.0.1 node-1\n");
              return cm;
            });

    // the next boot stages a different cluster domain
    TemplateVars vars = new TemplateVars(List.of("10.43.0.10"), "corp.internal", "");
    Staging.stage(dir, vars, Set.of("traefik"));
    assertThat(pass(Set.of(), false).deployed()).isEqualTo(1);

    Map<String, String> data = configMap("kube-system", "coredns").getData();
    assertThat(data.get("Corefile")).contains("kubernetes corp.internal in-addr.arpa");
    assertThat(data).containsEntry("NodeHosts", "10.0.0.1 node-1\n");
  }
}
