package io.netsvc.actors.ccm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.FakeWatchSource;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Node watch singleton between a watch the test plays, stand-in NodeActors (probes behind the
 * real sharding) and an in-memory ConfigMap coredns: each node hears of its Node, and NodeHosts
 * lists the nodes as K3s writes it. Each test uses its own node names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final Duration BACKOFF = Duration.ofMillis(50);

  OneMemberCluster cluster;
  ActorRef<NodeController.Command> controller;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NodeControllerTest").withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @AfterEach
  void stopController() {
    if (controller != null) {
      controller.tell(new NodeController.Stop());
      cluster.kit().createTestProbe().expectTerminated(controller, WAIT);
    }
    controller = null;
  }

  /** Starts a controller; returns the watch's handler. */
  private WatchHandler<NodeInfo> start(FakeCloudNodeApi api, boolean nodeHosts, Duration resync) {
    FakeWatchSource<WatchHandler<NodeInfo>> source = FakeWatchSource.syncedAtOnce();
    NodeControllerDeps deps =
        new NodeControllerDeps(
            source, cluster.sharding(), api, nodeHosts, "kube-system", resync, BACKOFF);
    controller = cluster.kit().spawn(NodeController.create(deps));
    return source.handler();
  }

  /** "InternalIP=10.0.0.1", "Hostname=h1", ... */
  private static NodeInfo node(String name, String... addresses) {
    List<NodeAddress> list = new ArrayList<>();
    for (String a : addresses) {
      String[] kv = a.split("=", 2);
      list.add(new NodeAddress(kv[0], kv[1]));
    }
    return new NodeInfo(name, Map.of("team", "a"), Map.of(), list, List.of(), null);
  }

  private static void untilNodeHosts(FakeCloudNodeApi api, String expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(api.nodeHosts()).isEqualTo(expected));
  }

  @Test
  void everyNodeActorHearsOfItsNode() {
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "obs-n1");
    TestProbe<NodeActor.Command> n2 = cluster.probe(NodeActor.TYPE_KEY, "obs-n2");
    WatchHandler<NodeInfo> watch = start(new FakeCloudNodeApi(null), false, NEVER);
    NodeInfo first = node("obs-n1", "InternalIP=10.0.0.1");
    NodeInfo moved = node("obs-n1", "InternalIP=10.0.0.2");
    NodeInfo other = node("obs-n2", "InternalIP=10.0.0.3");
    watch.observed(first, false);
    watch.observed(other, false);
    watch.observed(moved, false);
    assertThat(n1.receiveSeveralMessages(2, WAIT))
        .containsExactly(new NodeActor.NodeObserved(first), new NodeActor.NodeObserved(moved));
    assertThat(n2.receiveMessage(WAIT)).isEqualTo(new NodeActor.NodeObserved(other));
  }

  @Test
  void nodeHostsListsTheNodesInK3sOrderAndForgetsAGoneNode() {
    FakeCloudNodeApi api = new FakeCloudNodeApi(null);
    api.coredns("192.168.1.1 registry.lan\n");
    WatchHandler<NodeInfo> watch = start(api, true, NEVER);
    watch.observed(node("n10", "InternalIP=10.0.0.10", "Hostname=host-10"), false);
    watch.observed(node("n9", "InternalIP=10.0.0.9", "Hostname=n9"), false);
    watch.observed(node("dual", "InternalIP=10.0.0.1", "InternalIP=fd00::1"), false);
    // by address bytes, IPv4 before global IPv6; a hand-made line stays
    untilNodeHosts(
        api,
        """
        10.0.0.1 dual
        10.0.0.9 n9
        10.0.0.10 n10 host-10
        192.168.1.1 registry.lan
        fd00::1 dual
        """);

    watch.observed(node("n9", "InternalIP=10.0.0.9", "Hostname=n9"), true);
    watch.observed(node("n10", "InternalIP=10.0.0.11", "Hostname=host-10"), false);
    untilNodeHosts(
        api,
        """
        10.0.0.1 dual
        10.0.0.11 n10 host-10
        192.168.1.1 registry.lan
        fd00::1 dual
        """);
    assertThat(api.nodeHostsUpdates).containsOnly("kube-system");
  }

  @Test
  void withNodeHostsOffTheConfigMapIsLeftAlone() {
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "off-n1");
    FakeCloudNodeApi api = new FakeCloudNodeApi(null);
    api.coredns("192.168.1.1 registry.lan\n");
    WatchHandler<NodeInfo> watch = start(api, false, BACKOFF);
    watch.observed(node("off-n1", "InternalIP=10.0.0.1"), false);
    watch.observed(node("off-n2", "InternalIP=10.0.0.2"), true);
    n1.expectMessageClass(NodeActor.NodeObserved.class, WAIT);
    // several re-check periods and debounces long: nothing is even read
    await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> api.nodeHostsUpdates.isEmpty());
    assertThat(api.nodeHosts()).isEqualTo("192.168.1.1 registry.lan\n");
  }

  @Test
  void aFailedWriteIsRetriedAndAGoneNodeIsRemovedEvenIfTheFirstTryFailed() {
    FakeCloudNodeApi api = new FakeCloudNodeApi(null);
    api.coredns(null);
    // the periodic re-check is far away: only the retry can bring the file in line
    WatchHandler<NodeInfo> watch = start(api, true, NEVER);
    api.failNextNodeHosts("the server has received too many requests");
    watch.observed(node("retry-n1", "InternalIP=10.0.0.1"), false);
    watch.observed(node("retry-n2", "InternalIP=10.0.0.2"), false);
    untilNodeHosts(api, "10.0.0.1 retry-n1\n10.0.0.2 retry-n2\n");
    assertThat(api.nodeHostsUpdates).hasSizeGreaterThanOrEqualTo(2);

    api.failNextNodeHosts("Operation cannot be fulfilled: the object has been modified");
    watch.observed(node("retry-n1", "InternalIP=10.0.0.1"), true);
    untilNodeHosts(api, "10.0.0.2 retry-n2\n");
  }

  @Test
  void aCorednsConfigMapThatAppearsLaterIsFilledIn() {
    FakeCloudNodeApi api = new FakeCloudNodeApi(null);
    WatchHandler<NodeInfo> watch = start(api, true, Duration.ofMillis(100));
    watch.observed(node("late-n1", "InternalIP=10.0.0.1", "Hostname=late"), false);
    await().atMost(WAIT).until(() -> !api.nodeHostsUpdates.isEmpty());
    assertThat(api.nodeHosts()).isNull();
    // the manifest deployer creates it after the nodes registered
    api.coredns(null);
    untilNodeHosts(api, "10.0.0.1 late-n1 late\n");
  }
}
