package io.netsvc.k8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.netsvc.k8s.deploy.model.TemplateVars;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

  @Test
  void readsEveryDocumentAndSkipsEmptyOnes() throws Exception {
    String yaml =
        """
        # leading comment
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        data: {k: v}
        ---
        # only a comment
        ---

        ---
        {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: b, namespace: kube-system}
        ---
        """;
    List<GenericKubernetesResource> objects = ManifestParser.parse(yaml);
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("ConfigMap/a", "Deployment/b");
    assertThat(objects.get(0).getMetadata().getNamespace()).isNull(); // the applier defaults it
    assertThat(objects.get(0).getAdditionalProperties().get("data")).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void expandsListsAndFillsTypedListItems() throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
        - {apiVersion: v1, kind: Secret, metadata: {name: b}}
        ---
        apiVersion: v1
        kind: ConfigMapList
        items:
        - metadata: {name: c}
        """;
    assertThat(ManifestParser.parse(yaml))
        .extracting(o -> o.getApiVersion() + " " + o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("v1 ConfigMap/a", "v1 Secret/b", "v1 ConfigMap/c");
  }

  @Test
  void readsConcatenatedJsonObjects() throws Exception {
    String json =
        """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}
        """;
    assertThat(ManifestParser.parse(json))
        .extracting(o -> o.getMetadata().getName())
        .containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kind: ConfigMap\nmetadata: {name: a}\n",
        "apiVersion: v1\nmetadata: {name: a}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- just\n- a list\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n",
        "a: b: c\n",
      })
  void refusesWhatIsNotAnObjectListWithAOneLineMessage(String content) {
    assertThatThrownBy(() -> ManifestParser.parse(content))
        .isInstanceOf(ManifestException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
  }

  @Test
  void aDuplicateKeyTakesTheLastValueAsK3sDoes() throws Exception {
    assertThat(
            ManifestParser.parse(
                "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n"))
        .extracting(GenericKubernetesResource::getKind)
        .containsExactly("Secret");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> ManifestParser.parse("apiVersion: v1\nkind: ConfigMap\n"))
        .hasMessage("document 1 (ConfigMap): metadata.name is missing");
  }

  @Test
  @SuppressWarnings("unchecked")
  void packagedManifestsRenderToTheObjectsK3sShips() throws Exception {
    TemplateVars vars =
        new TemplateVars(List.of("10.43.0.10", "fd00:43::a"), "cluster.local", "reg.local:5000");
    List<GenericKubernetesResource> coredns =
        ManifestParser.parse(vars.render(Staging.template("coredns.yaml")));
    assertThat(coredns)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly(
            "ServiceAccount/coredns",
            "ClusterRole/system:coredns",
            "ClusterRoleBinding/system:coredns",
            "ConfigMap/coredns",
            "Deployment/coredns",
            "Service/kube-dns");
    Map<?, ?> spec = (Map<?, ?>) coredns.get(5).getAdditionalProperties().get("spec");
    assertThat(spec.get("clusterIP")).isEqualTo("10.43.0.10");
    assertThat(spec.get("clusterIPs")).isEqualTo(List.of("10.43.0.10", "fd00:43::a"));
    assertThat(spec.get("ipFamilyPolicy")).isEqualTo("RequireDualStack");
    String deployment = coredns.get(4).getAdditionalProperties().toString();
    assertThat(deployment).contains("reg.local:5000/rancher/mirrored-coredns-coredns:1.12.0");
    Map<String, Object> data =
        (Map<String, Object>) coredns.get(3).getAdditionalProperties().get("data");
    assertThat(data).containsOnlyKeys("Corefile");
    assertThat((String) data.get("Corefile"))
        .contains("kubernetes cluster.local in-addr.arpa ip6.arpa {")
        .contains("hosts /etc/coredns/NodeHosts {");

    List<GenericKubernetesResource> traefik =
        ManifestParser.parse(vars.render(Staging.template("traefik.yaml")));
    assertThat(traefik)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("HelmChart/traefik-crd", "HelmChart/traefik");
    Map<?, ?> chart = (Map<?, ?>) traefik.get(1).getAdditionalProperties().get("spec");
    assertThat(chart.get("chart"))
        .isEqualTo("https://%{KUBERNETES_API}%/static/charts/traefik-34.2.1+up34.2.0.tgz");
    assertThat(chart.get("set"))
        .isEqualTo(Map.of("global.systemDefaultRegistry", "reg.local:5000"));
    assertThat((String) chart.get("valuesContent")).contains("tag: \"3.3.6\"");
  }
}
