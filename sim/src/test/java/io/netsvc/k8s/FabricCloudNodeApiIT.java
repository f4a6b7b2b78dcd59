package io.netsvc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.sim.api.SimApiServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cloud-node and NodeHosts writes against the embedded API server. */
class FabricCloudNodeApiIT {
  private static final String UNINITIALIZED = "node.cloudprovider.kubernetes.io/uninitialized";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SimApiServer server;
  private KubernetesClient client;
  private FabricCloudNodeApi api;

  @BeforeEach
  void start() {
    server = SimApiServer.start("127.0.0.1", 0);
    client = server.client();
    api = new FabricCloudNodeApi(client, 2);
  }

  @AfterEach
  void stop() {
    api.close();
    server.close();
  }

  private Node createNode(String name, String providerID) {
    return client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToAnnotations("other.io/keep", "x")
                .endMetadata()
                .withNewSpec()
                .withProviderID(providerID)
                .addNewTaint()
                .withKey(UNINITIALIZED)
                .withValue("true")
                .withEffect("NoSchedule")
                .endTaint()
                .addNewTaint()
                .withKey("dedicated")
                .withValue("db")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("192.168.1.1")
                .endAddress()
                .endStatus()
                .build())
        .create();
  }

  private Node node(String name) {
    return client.nodes().withName(name).get();
  }

  @Test
  void initialisesATaintedNode() {
    createNode("n1", null);
    api.applyCloudNodeUpdate(
            "n1",
            Optional.of("k3s://n1"),
            Map.of(
                "node.kubernetes.io/instance-type",
                "k3s",
                "beta.kubernetes.io/instance-type",
                "k3s"),
            true,
            Optional.of(
                List.of(
                    new NodeAddress("InternalIP", "10.0.0.1"),
                    new NodeAddress("InternalIP", "fd00::1"),
                    new NodeAddress("Hostname", "box"))))
        .toCompletableFuture()
        .join();

    Node n = node("n1");
    assertThat(n.getSpec().getProviderID()).isEqualTo("k3s://n1");
    assertThat(n.getMetadata().getLabels())
        .containsEntry("node.kubernetes.io/instance-type", "k3s")
        .containsEntry("beta.kubernetes.io/instance-type", "k3s")
        .containsEntry("kubernetes.io/hostname", "n1");
    assertThat(n.getSpec().getTaints()).extracting(Taint::getKey).containsExactly("dedicated");
    assertThat(n.getStatus().getAddresses())
        .extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=10.0.0.1", "InternalIP=fd00::1", "Hostname=box");
  }

  @Test
  void anExistingProviderIdIsKept() {
    createNode("n1", "aws:///eu-west-1a/i-0abc");
    api.applyCloudNodeUpdate("n1", Optional.of("k3s://n1"), Map.of(), true, Optional.empty())
        .toCompletableFuture()
        .join();
    Node n = node("n1");
    assertThat(n.getSpec().getProviderID()).isEqualTo("aws:///eu-west-1a/i-0abc");
    assertThat(n.getSpec().getTaints()).extracting(Taint::getKey).containsExactly("dedicated");
    assertThat(n.getStatus().getAddresses()).hasSize(1); // addresses left alone
  }

  @Test
  void nothingLeftToChangeWritesNothing() {
    createNode("n1", "k3s://n1");
    api.applyCloudNodeUpdate("n1", Optional.empty(), Map.of(), true, Optional.empty())
        .toCompletableFuture()
        .join();
    String rv = node("n1").getMetadata().getResourceVersion();
    api.applyCloudNodeUpdate(
            "n1",
            Optional.of("k3s://n1"),
            Map.of("kubernetes.io/hostname", "n1"),
            true,
            Optional.empty())
        .toCompletableFuture()
        .join();
    assertThat(node("n1").getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void aNodeThatIsGoneIsNotAnError() {
    api.applyCloudNodeUpdate(
            "ghost",
            Optional.of("k3s://ghost"),
            Map.of(),
            true,
            Optional.of(List.of(new NodeAddress("InternalIP", "10.0.0.1"))))
        .toCompletableFuture()
        .join();
    assertThat(node("ghost")).isNull();
  }

  @Test
  void annotationsAreAddedAndRemoved() {
    createNode("n1", null);
    client
        .nodes()
        .withName("n1")
        .edit(
            n ->
                new NodeBuilder(n)
                    .editMetadata()
                    .addToAnnotations("k3s.io/external-ip", "1.2.3.4")
                    .endMetadata()
                    .build());
    Map<String, String> changes = new HashMap<>();
    changes.put("k3s.io/internal-ip", "10.0.0.1,fd00::1");
    changes.put("k3s.io/external-ip", null);
    api.patchNodeAnnotations("n1", changes).toCompletableFuture().join();

    assertThat(node("n1").getMetadata().getAnnotations())
        .containsEntry("k3s.io/internal-ip", "10.0.0.1,fd00::1")
        .containsEntry("other.io/keep", "x")
        .doesNotContainKey("k3s.io/external-ip");
  }

  @Test
  void annotatingAMissingNodeFailsSoTheAgentRetries() {
    assertThatThrownBy(
            () ->
                api.patchNodeAnnotations("ghost", Map.of("k3s.io/internal-ip", "10.0.0.1"))
                    .toCompletableFuture()
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KubernetesClientException.class);
  }

  private void createCoreDns() {
    client
        .configMaps()
        .inNamespace("kube-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("coredns")
                .withNamespace("kube-system")
                .endMetadata()
                .addToData("Corefile", ".:53 {\n    errors\n}\n")
                .build())
        .create();
  }

  private ConfigMap coreDns() {
    return client.configMaps().inNamespace("kube-system").withName("coredns").get();
  }

  @Test
  void nodeHostsEditKeepsTheOtherKeys() {
    createCoreDns();
    boolean wrote =
        api.updateNodeHosts("kube-system", old -> (old == null ? "" : old) + "10.0.0.1 n1\n")
            .toCompletableFuture()
            .join();
    assertThat(wrote).isTrue();
    assertThat(coreDns().getData())
        .containsEntry("NodeHosts", "10.0.0.1 n1\n")
        .containsEntry("Corefile", ".:53 {\n    errors\n}\n");
  }

  @Test
  void anUnchangedEditWritesNothing() {
    createCoreDns();
    String rv = coreDns().getMetadata().getResourceVersion();
    boolean wrote = api.updateNodeHosts("kube-system", old -> old).toCompletableFuture().join();
    assertThat(wrote).isFalse();
    assertThat(coreDns().getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void aConcurrentWriteIsRetriedOnTheFreshContent() {
    createCoreDns();
    AtomicInteger calls = new AtomicInteger();
    boolean wrote =
        api.updateNodeHosts("kube-system", old -> appendAfterARacingWrite(calls, old))
            .toCompletableFuture()
            .join();
    assertThat(wrote).isTrue();
    assertThat(calls).hasValue(2);
    assertThat(coreDns().getData()).containsEntry("NodeHosts", "10.0.0.2 n2\n10.0.0.1 n1\n");
  }

  /** The first call lets another writer change the ConfigMap between our read and our patch. */
  private String appendAfterARacingWrite(AtomicInteger calls, String old) {
    if (calls.incrementAndGet() == 1) {
      ConfigMap cm = coreDns();
      cm.getData().put("NodeHosts", "10.0.0.2 n2\n");
      client.configMaps().inNamespace("kube-system").resource(cm).update();
    }
    return (old == null ? "" : old) + "10.0.0.1 n1\n";
  }

  @Test
  void aMissingConfigMapIsLeftMissing() {
    boolean wrote =
        api.updateNodeHosts("kube-system", old -> "10.0.0.1 n1\n").toCompletableFuture().join();
    assertThat(wrote).isFalse();
    assertThat(coreDns()).isNull();
  }

  @Test
  void nodeEventsGoToDefaultLikeClientGo() {
    Node n = createNode("n1", null);
    api.event(
        new ObjectRef("v1", "Node", null, "n1", n.getMetadata().getUid(), null),
        "Normal",
        "Synced",
        "Node synced successfully");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Event> events = client.v1().events().inNamespace("default").list().getItems();
              assertThat(events)
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("n1");
                        assertThat(e.getInvolvedObject().getNamespace()).isNullOrEmpty();
                        assertThat(e.getReason()).isEqualTo("Synced");
                        assertThat(e.getSource().getComponent()).isEqualTo("cloud-node-controller");
                      });
            });
  }
}
