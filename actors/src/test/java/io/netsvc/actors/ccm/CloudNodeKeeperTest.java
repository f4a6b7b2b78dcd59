package io.netsvc.actors.ccm;

import static io.netsvc.actors.ccm.model.CloudNodeSync.INSTANCE_TYPE;
import static io.netsvc.actors.ccm.model.CloudNodeSync.INSTANCE_TYPE_BETA;
import static io.netsvc.actors.ccm.model.NodeAnnotations.EXTERNAL_IP;
import static io.netsvc.actors.ccm.model.NodeAnnotations.HOSTNAME;
import static io.netsvc.actors.ccm.model.NodeAnnotations.INTERNAL_DNS;
import static io.netsvc.actors.ccm.model.NodeAnnotations.INTERNAL_IP;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.ccm.FakeCloudNodeApi.AnnotationPatch;
import io.netsvc.actors.ccm.FakeCloudNodeApi.CloudUpdate;
import io.netsvc.actors.ccm.model.CloudNodeSync;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud-controller stub of one node, driven the way its NodeActor drives it: the agent
 * registers, the Node watch shows the Node, each write ends when the test lets it, and after a
 * successful write the watch shows its result. The API server is a {@link FakeCloudNodeApi}.
 */
class CloudNodeKeeperTest {
  static final Logger LOG = LoggerFactory.getLogger(CloudNodeKeeperTest.class);
  static final TaintInfo UNINITIALIZED =
      new TaintInfo(CloudNodeSync.UNINITIALIZED_TAINT, "true", "NoSchedule");

  /** A node as kubelet registers it under an external cloud provider. */
  static NodeInfo bare(String name) {
    return new NodeInfo(
        name,
        Map.of("kubernetes.io/hostname", name),
        Map.of(),
        List.of(new NodeAddress("Hostname", name)),
        List.of(UNINITIALIZED),
        null);
  }

  static final AgentIdentity AGENT =
      new AgentIdentity(
          List.of("10.0.0.5", "fd00::5"),
          List.of("203.0.113.5"),
          List.of("n1.internal"),
          List.of(),
          "host-5");

  /** The keeper inside a stand-in for its NodeActor. */
  static final class Node {
    record Pending(CompletionStage<Void> stage, boolean removesTaint) {}

    final FakeCloudNodeApi api;
    final CloudNodeKeeper keeper;
    final Deque<Pending> inFlight = new ArrayDeque<>();

    Node(NodeInfo initial, boolean enabled) {
      this(initial, enabled, CloudNodeMetrics.NONE);
    }

    Node(NodeInfo initial, boolean enabled, CloudNodeMetrics metrics) {
      api = new FakeCloudNodeApi(initial);
      keeper =
          new CloudNodeKeeper(
              initial.name(),
              api,
              enabled,
              LOG,
              (s, taint) -> inFlight.add(new Pending(s, taint)),
              metrics);
      keeper.observed(initial);
    }

    /**
     * Ends the writes in flight and those they lead to, as the actor's pipeToSelf would; after each
     * successful one the watch shows the Node as it is now.
     */
    void settle() {
      while (!inFlight.isEmpty()) {
        Pending p = inFlight.poll();
        CompletableFuture<Void> f = p.stage().toCompletableFuture();
        String error = f.isCompletedExceptionally() ? f.handle((v, e) -> message(e)).join() : null;
        keeper.written(error, p.removesTaint());
        if (error == null) keeper.observed(api.node());
      }
    }

    private static String message(Throwable e) {
      while (e.getCause() != null) e = e.getCause();
      return e.getMessage();
    }
  }

  @Test
  void theAgentsAddressesBecomeAnnotationsThenNodeAddressesInK3sOrder() {
    Node n = new Node(bare("n1"), true);
    n.keeper.agent(AGENT);
    n.settle();

    assertThat(n.api.writes).hasSize(2);
    assertThat(n.api.writes.get(0))
        .isEqualTo(
            new AnnotationPatch(
                Map.of(
                    INTERNAL_IP, "10.0.0.5,fd00::5",
                    EXTERNAL_IP, "203.0.113.5",
                    INTERNAL_DNS, "n1.internal",
                    HOSTNAME, "host-5")));
    assertThat(n.api.writes.get(1))
        .isEqualTo(
            new CloudUpdate(
                Optional.of("k3s://n1"),
                Map.of(INSTANCE_TYPE, "k3s", INSTANCE_TYPE_BETA, "k3s"),
                true,
                Optional.of(
                    List.of(
                        new NodeAddress("InternalIP", "10.0.0.5"),
                        new NodeAddress("InternalIP", "fd00::5"),
                        new NodeAddress("ExternalIP", "203.0.113.5"),
                        new NodeAddress("InternalDNS", "n1.internal"),
                        new NodeAddress("Hostname", "host-5")))));
    NodeInfo node = n.api.node();
    assertThat(node.taints()).isEmpty();
    assertThat(node.providerID()).isEqualTo("k3s://n1");
    assertThat(n.api.events)
        .containsExactly(
            new FakeCloudNodeApi.Event(
                "Normal", CloudNodeSync.SYNCED_REASON, CloudNodeSync.SYNCED_MESSAGE));
    assertThat(n.keeper.status()).isEqualTo("synced");
  }

  @Test
  void theTaintStaysUntilTheAddressesAreKnown() {
    Node n = new Node(bare("n2"), true);
    n.keeper.observed(bare("n2"));
    n.settle();
    assertThat(n.api.writes).isEmpty();
    assertThat(n.keeper.status()).isEqualTo("waiting: " + CloudNodeSync.NOT_YET_SET);

    n.keeper.agent(AGENT);
    // the annotations are written first; the taint goes only with the addresses
    assertThat(n.api.writes).singleElement().isInstanceOf(AnnotationPatch.class);
    assertThat(n.api.node().taints()).containsExactly(UNINITIALIZED);
    n.settle();
    CloudUpdate update = (CloudUpdate) n.api.writes.get(1);
    assertThat(update.removeTaint()).isTrue();
    assertThat(update.addresses().orElseThrow()).isNotEmpty();
  }

  @Test
  void oneWriteAtATimeAndNothingIsWrittenWhenNothingChanged() {
    Node n = new Node(bare("n3"), true);
    n.keeper.agent(AGENT);
    n.keeper.observed(n.api.node()); // the watch speaks while the patch is in flight
    assertThat(n.api.writes).hasSize(1);
    n.settle();
    int synced = n.api.writes.size();

    n.keeper.observed(n.api.node());
    n.keeper.agent(AGENT); // the agent re-registers, as it does periodically
    Map<String, String> labels = new HashMap<>(n.api.node().labels());
    labels.put("team", "blue"); // a label of no interest to the cloud controller
    n.api.replace(withLabels(n.api.node(), labels));
    n.keeper.observed(n.api.node());
    n.settle();
    assertThat(n.api.writes).hasSize(synced);

    // someone removes the instance-type label: it is put back, and only it
    labels.remove(INSTANCE_TYPE);
    n.api.replace(withLabels(n.api.node(), labels));
    n.keeper.observed(n.api.node());
    n.settle();
    assertThat(n.api.writes)
        .last()
        .isEqualTo(
            new CloudUpdate(
                Optional.empty(), Map.of(INSTANCE_TYPE, "k3s"), false, Optional.empty()));
    assertThat(n.api.events).hasSize(1);
  }

  @Test
  void anAgentWithNewAddressesMovesTheNodeAddresses() {
    Node n = new Node(bare("n4"), true);
    n.keeper.agent(AGENT);
    n.settle();
    n.keeper.agent(
        new AgentIdentity(List.of("10.0.0.9"), List.of(), List.of(), List.of(), "host-5"));
    n.settle();
    assertThat(n.api.node().addresses())
        .containsExactly(
            new NodeAddress("InternalIP", "10.0.0.9"), new NodeAddress("Hostname", "host-5"));
    assertThat(n.api.node().annotations()).doesNotContainKeys(EXTERNAL_IP, INTERNAL_DNS);
    assertThat(n.api.events).as("initialised once").hasSize(1);
  }

  @Test
  void aFailedWriteIsRetriedWhenTheActorSaysSo() {
    Node n = new Node(bare("n5"), true);
    n.api.failNext("etcdserver: request timed out");
    n.keeper.agent(AGENT);
    n.settle();
    assertThat(n.api.writes).hasSize(1);
    assertThat(n.api.node().annotations()).isEmpty();

    n.keeper.retry(); // the NodeActor's backoff timer
    n.settle();
    assertThat(n.api.writes).hasSize(3);
    assertThat(n.api.writes.get(1)).isEqualTo(n.api.writes.get(0));
    assertThat(n.api.node().taints()).isEmpty();

    n.keeper.retry(); // a retry with nothing failed writes nothing
    n.settle();
    assertThat(n.api.writes).hasSize(3);
  }

  /** What the keeper reported to the operators' metrics. */
  static final class Recorded implements CloudNodeMetrics {
    final List<Long> initialised = new ArrayList<>();
    final List<Boolean> writes = new ArrayList<>();

    @Override
    public void nodeInitialized(long nanos) {
      initialised.add(nanos);
    }

    @Override
    public void nodeWrite(boolean ok) {
      writes.add(ok);
    }
  }

  @Test
  void theMetricsSeeEveryWriteAndOneInitialisationOfATaintedNode() {
    Recorded metrics = new Recorded();
    Node n = new Node(bare("n7"), true, metrics);
    n.api.failNext("etcdserver: request timed out");
    n.keeper.agent(AGENT);
    n.settle();
    assertThat(metrics.writes).containsExactly(false);
    assertThat(metrics.initialised).isEmpty();

    n.keeper.retry();
    n.settle();
    assertThat(n.api.node().taints()).isEmpty();
    assertThat(metrics.writes).containsExactly(false, true, true);
    assertThat(metrics.initialised).singleElement().satisfies(t -> assertThat(t).isNotNegative());

    // a later change of addresses writes again; the node was initialised once
    n.keeper.agent(
        new AgentIdentity(List.of("10.0.0.9"), List.of(), List.of(), List.of(), "host-5"));
    n.settle();
    assertThat(metrics.writes).hasSizeGreaterThan(3).doesNotContainSequence(false, false);
    assertThat(metrics.initialised).hasSize(1);
  }

  @Test
  void disabledItRemovesTheAnnotationsAndNeverInitialisesTheNode() {
    Map<String, String> stale = Map.of(INTERNAL_IP, "10.1.1.1", HOSTNAME, "old", "x", "y");
    NodeInfo annotated =
        new NodeInfo(
            "n6",
            Map.of(),
            stale,
            List.of(new NodeAddress("Hostname", "n6")),
            List.of(UNINITIALIZED),
            null);
    Node n = new Node(annotated, false);
    n.keeper.agent(AGENT);
    n.settle();
    assertThat(n.api.writes).containsExactly(new AnnotationPatch(nulls(INTERNAL_IP, HOSTNAME)));
    assertThat(n.api.node().annotations()).isEqualTo(Map.of("x", "y"));
    assertThat(n.api.node().taints()).containsExactly(UNINITIALIZED);
    assertThat(n.api.node().providerID()).isNull();
    assertThat(n.keeper.status()).isEqualTo("disabled (--disable-cloud-controller)");
  }

  private static NodeInfo withLabels(NodeInfo n, Map<String, String> labels) {
    return new NodeInfo(
        n.name(), Map.copyOf(labels), n.annotations(), n.addresses(), n.taints(), n.providerID());
  }

  private static Map<String, String> nulls(String... keys) {
    Map<String, String> out = new HashMap<>();
    for (String k : keys) out.put(k, null);
    return out;
  }
}
