package io.netsvc.actors.netpol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.FakeWatchSource;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.NetpolWatchHandler;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The NetworkPolicy watch singleton between a watch the test plays and stand-in NamespaceActors,
 * NetworkPolicyActors and NodeActors (probes behind the real sharding): who hears of which
 * Namespace, Pod and NetworkPolicy. Each test uses its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetpolControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NetpolControllerTest").withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  /** A controller with its watch; stop it with {@link #stop(Running)}. */
  private record Running(
      ActorRef<NetpolController.Command> actor, FakeWatchSource<NetpolWatchHandler> source) {
    NetpolWatchHandler watch() {
      return source.handler();
    }
  }

  private Running controller() {
    FakeWatchSource<NetpolWatchHandler> source = FakeWatchSource.syncedAtOnce();
    return new Running(
        cluster.kit().spawn(NetpolController.create(source, cluster.sharding())), source);
  }

  private void stop(Running r) {
    r.actor().tell(new NetpolController.Stop());
    cluster.kit().createTestProbe().expectTerminated(r.actor(), WAIT);
  }

  private static NamespaceInfo ns(String name, String team) {
    return new NamespaceInfo(name, Map.of("kubernetes.io/metadata.name", name, "team", team));
  }

  private static NetworkPolicyInfo policy(String ns, String name, String... types) {
    return new NetworkPolicyInfo(
        ns, name, "uid-" + name, Map.of(), null, List.of(types), null, null);
  }

  private static NetpolPod pod(String ns, String name, String node) {
    return new NetpolPod(
        ns, name, node, Map.of("app", name), "10.42.0.7", null, null, false, false);
  }

  @Test
  void namespacesReachTheirActorAndEveryPolicyKnowsWhichNamespacesExist() {
    TestProbe<NamespaceActor.Command> a = cluster.probe(NamespaceActor.TYPE_KEY, "nsw-a");
    TestProbe<NamespaceActor.Command> b = cluster.probe(NamespaceActor.TYPE_KEY, "nsw-b");
    TestProbe<NetworkPolicyActor.Command> deny =
        cluster.probe(NetworkPolicyActor.TYPE_KEY, "nsw-a/deny");
    Running r = controller();
    NetpolWatchHandler watch = r.watch();

    watch.namespaces().observed(ns("nsw-a", "red"), false);
    assertThat(a.receiveMessage(WAIT)).isEqualTo(new NamespaceActor.Labels(ns("nsw-a", "red")));
    NetworkPolicyInfo v1 = policy("nsw-a", "deny", "Ingress");
    watch.policies().observed(v1, false);
    watch.namespaces().observed(ns("nsw-b", "blue"), false);
    // relabelling changes no namespace name: the policies need not hear of it
    watch.namespaces().observed(ns("nsw-a", "green"), false);
    watch.namespaces().observed(ns("nsw-b", "blue"), true);
    NetworkPolicyInfo v2 = policy("nsw-a", "deny", "Ingress", "Egress");
    watch.policies().observed(v2, false);
    watch.policies().observed(v2, true);
    // a deleted policy hears no more, and comes back knowing the namespaces of now
    watch.namespaces().observed(ns("nsw-c", "red"), false);
    watch.policies().observed(v1, false);

    assertThat(deny.receiveSeveralMessages(7, WAIT))
        .containsExactly(
            new NetworkPolicyActor.Namespaces(Set.of("nsw-a")),
            new NetworkPolicyActor.PolicyChanged(v1),
            new NetworkPolicyActor.Namespaces(Set.of("nsw-a", "nsw-b")),
            new NetworkPolicyActor.Namespaces(Set.of("nsw-a")),
            new NetworkPolicyActor.PolicyChanged(v2),
            new NetworkPolicyActor.PolicyDeleted(v2),
            new NetworkPolicyActor.Namespaces(Set.of("nsw-a", "nsw-c")));
    assertThat(deny.receiveMessage(WAIT)).isEqualTo(new NetworkPolicyActor.PolicyChanged(v1));
    assertThat(a.receiveMessage(WAIT)).isEqualTo(new NamespaceActor.Labels(ns("nsw-a", "green")));
    assertThat(b.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new NamespaceActor.Labels(ns("nsw-b", "blue")), new NamespaceActor.Labels(null));
    stop(r);
  }

  @Test
  void podsReachTheirNamespaceAndTheAgentOfTheNodeTheyRunOn() {
    TestProbe<NamespaceActor.Command> shop = cluster.probe(NamespaceActor.TYPE_KEY, "shop");
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "shop-n1");
    TestProbe<NodeActor.Command> n2 = cluster.probe(NodeActor.TYPE_KEY, "shop-n2");
    Running r = controller();
    NetpolWatchHandler watch = r.watch();
    NetpolPod pending = pod("shop", "cart", null);
    NetpolPod onN1 = pod("shop", "cart", "shop-n1");
    NetpolPod onN2 = pod("shop", "cart", "shop-n2");

    watch.pods().observed(pending, false);
    watch.pods().observed(onN1, false);
    watch.pods().observed(onN2, false);
    watch.pods().observed(onN2, true);

    assertThat(shop.receiveSeveralMessages(4, WAIT))
        .containsExactly(
            new NamespaceActor.Pod(pending),
            new NamespaceActor.Pod(onN1),
            new NamespaceActor.Pod(onN2),
            new NamespaceActor.PodGone("cart"));
    // an agent programs its node's pods: the old node drops the pod, the new one gets it
    assertThat(n1.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new NodeActor.LocalPod("shop/cart", onN1), new NodeActor.LocalPod("shop/cart", null));
    assertThat(n2.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new NodeActor.LocalPod("shop/cart", onN2), new NodeActor.LocalPod("shop/cart", null));
    stop(r);
  }

  @Test
  void stoppingTheControllerClosesItsWatch() {
    Running r = controller();
    FakeWatchSource<NetpolWatchHandler>.Registration watch = r.source().registration();
    assertThat(watch.closed()).isFalse();
    stop(r);
    await().atMost(WAIT).until(watch::closed);
  }
}
