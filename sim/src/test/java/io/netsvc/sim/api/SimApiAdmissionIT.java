package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sim API's admission as a client meets it: NamespaceLifecycle, the Service allocators,
 * validation errors as 422 with kube-apiserver's wording, and a namespace's deletion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimApiAdmissionIT {
  SimApiServer api;
  KubernetesClient c;

  @BeforeAll
  void start() {
    api = SimApiServer.start("127.0.0.1", 0);
    c = api.client();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private static Service nodePort(String name, Integer nodePort) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("NodePort")
        .addNewPort()
        .withPort(80)
        .withNodePort(nodePort)
        .endPort()
        .endSpec()
        .build();
  }

  private static int code(Runnable r) {
    try {
      r.run();
      return 0;
    } catch (KubernetesClientException e) {
      return e.getCode();
    }
  }

  private void namespace(String name) {
    c.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  @Test
  void objectsGoOnlyIntoANamespaceThatExists() {
    assertThatThrownBy(
            () -> c.services().inNamespace("nowhere").resource(nodePort("a", null)).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("namespaces \"nowhere\" not found")
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(404);
    assertThat(code(() -> c.namespaces().withName("default").delete())).isEqualTo(403);
  }

  @Test
  void servicesGetClusterIpsAndNodePortsThatAreNeverHandedOutTwice() {
    namespace("alloc");
    Service a = c.services().inNamespace("alloc").resource(nodePort("a", null)).create();
    Service b = c.services().inNamespace("alloc").resource(nodePort("b", null)).create();
    assertThat(a.getSpec().getClusterIP()).startsWith("10.43.");
    assertThat(a.getSpec().getClusterIPs()).containsExactly(a.getSpec().getClusterIP());
    assertThat(a.getSpec().getIpFamilies()).containsExactly("IPv4");
    assertThat(a.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
    assertThat(b.getSpec().getClusterIP()).isNotEqualTo(a.getSpec().getClusterIP());
    int port = a.getSpec().getPorts().get(0).getNodePort();
    assertThat(port).isBetween(30000, 32767);
    assertThat(b.getSpec().getPorts().get(0).getNodePort()).isNotEqualTo(port);

    assertThatThrownBy(
            () -> c.services().inNamespace("alloc").resource(nodePort("c", port)).create())
        .hasMessageContaining(
            "Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: "
                + port
                + ": provided port is already allocated");
    // an update that leaves the ClusterIP out keeps it; one that changes it is refused
    Service again = c.services().inNamespace("alloc").resource(nodePort("a", null)).update();
    assertThat(again.getSpec().getClusterIP()).isEqualTo(a.getSpec().getClusterIP());
    assertThat(again.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
    Service moved =
        new ServiceBuilder(again)
            .editSpec()
            .withClusterIP("10.43.0.99")
            .withClusterIPs("10.43.0.99")
            .endSpec()
            .build();
    assertThat(code(() -> c.services().inNamespace("alloc").resource(moved).update()))
        .isEqualTo(422);

    // a deleted Service's port is free again
    c.services().inNamespace("alloc").withName("a").delete();
    Service d = c.services().inNamespace("alloc").resource(nodePort("d", port)).create();
    assertThat(d.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
  }

  @Test
  void anInvalidObjectIsRefusedWith422AndTheFieldsThatAreWrong() {
    var ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("agent")
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", "agent")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "other")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("a")
            .withImage("netsvc:0.1.0")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThatThrownBy(() -> c.apps().daemonSets().inNamespace("default").resource(ds).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "DaemonSet \"agent\" is invalid: spec.template.metadata.labels: Invalid value:"
                + " {\"app\":\"other\"}: `selector` does not match template `labels`")
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(422);
  }

  @Test
  void aDeletedNamespaceIsTerminatingUntilItsContentIsGoneAndTakesNoNewObjects() {
    namespace("ending");
    assertThat(c.namespaces().withName("ending").get().getMetadata().getLabels())
        .containsEntry("kubernetes.io/metadata.name", "ending");
    c.configMaps()
        .inNamespace("ending")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withFinalizers("example.com/hold")
                .endMetadata()
                .build())
        .create();
    c.services().inNamespace("ending").resource(nodePort("web", null)).create();
    c.namespaces().withName("ending").delete();

    assertThat(c.namespaces().withName("ending").get().getStatus().getPhase())
        .isEqualTo("Terminating");
    assertThat(c.services().inNamespace("ending").list().getItems()).isEmpty();
    assertThatThrownBy(
            () -> c.services().inNamespace("ending").resource(nodePort("late", null)).create())
        .hasMessageContaining(
            "unable to create new content in namespace ending because it is being terminated")
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(403);

    c.configMaps()
        .inNamespace("ending")
        .withName("held")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .editMetadata()
                    .withFinalizers(List.of())
                    .endMetadata()
                    .build());
    assertThat(c.configMaps().inNamespace("ending").withName("held").get()).isNull();
    assertThat(c.namespaces().withName("ending").get()).isNull();
  }
}
