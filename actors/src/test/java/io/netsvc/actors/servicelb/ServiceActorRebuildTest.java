package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.PortDecision;
import io.netsvc.actors.servicelb.ServiceActor.Summary;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.actors.testing.OneMemberCluster.Delivered;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A ServiceActor that starts while its Service is served (a restart, or a move after a member
 * crashed): it rebuilds its facts from the member's caches, so it keeps the status and the
 * DaemonSet as they are, and a resync repairs what a lost message left out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceActorRebuildTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final NodeInfo N1 = Fixtures.node("n1", "InternalIP=10.0.0.1");
  private static final NodeInfo N2 = Fixtures.node("n2", "InternalIP=10.0.0.2");
  private static final List<IngressInfo> BOTH =
      List.of(IngressInfo.vip("10.0.0.1"), IngressInfo.vip("10.0.0.2"));

  OneMemberCluster cluster;
  OneMemberCluster.Route<NodeActor.Command> nodeRoute;
  OneMemberCluster.Route<PoolActor.Command> poolRoute;
  TestProbe<Delivered<NodeActor.Command>> nodes;
  TestProbe<Delivered<PoolActor.Command>> pools;
  FakeServiceLbApi api;
  FakeServiceLbCache cache;
  List<String> repairs;
  final List<ActorRef<Command>> spawned = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceActorRebuildTest");
    nodeRoute = cluster.route(NodeActor.TYPE_KEY);
    poolRoute = cluster.route(PoolActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  /** Every test uses default/web: an actor of an earlier test must not talk to the probes. */
  @AfterEach
  void stopActors() {
    spawned.forEach(a -> cluster.kit().stop(a));
    spawned.clear();
  }

  @BeforeEach
  void fresh() {
    nodes = nodeRoute.freshProbe();
    pools = poolRoute.freshProbe();
    api = new FakeServiceLbApi();
    cache = new FakeServiceLbCache().put(N1).put(N2);
    repairs = new CopyOnWriteArrayList<>();
  }

  /** The Service served on n1 and n2: Ready svclb pods on both, advertised, DaemonSet deployed. */
  private ServiceInfo served() {
    ServiceInfo svc =
        Fixtures.svc()
            .finalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
            .ingress(BOTH.toArray(new IngressInfo[0]))
            .build();
    cache.put(svc);
    cache.put(Fixtures.svclbPod("n1", true, false, "10.42.0.1"));
    cache.put(Fixtures.svclbPod("n2", true, false, "10.42.1.1"));
    cache.put(FakeServiceLbCache.stored(DaemonSetRenderer.render(svc, RENDER, false, null)));
    return svc;
  }

  private ActorRef<Command> spawn(ServiceInfo svc) {
    ResyncRepairs counted = repairs::add;
    ServiceLbDeps deps =
        new ServiceLbDeps(api, RENDER, cluster.sharding(), Duration.ofMillis(50), cache, counted);
    ActorRef<Command> actor = cluster.kit().spawn(ServiceActor.create(svc.key(), deps));
    spawned.add(actor);
    return actor;
  }

  private Summary summary(ActorRef<Command> actor) {
    TestProbe<Summary> reply = cluster.kit().createTestProbe();
    actor.tell(new ServiceActor.GetSummary(reply.getRef()));
    return reply.receiveMessage(WAIT);
  }

  /** The nodes the actor claimed its ports on (it claims each once). */
  private Set<String> claims(int count) {
    Set<String> on = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      Delivered<NodeActor.Command> d = nodes.receiveMessage(WAIT);
      if (d.message() instanceof NodeActor.ClaimPorts) on.add(d.entityId());
    }
    return on;
  }

  @Test
  void aRebuiltActorKeepsTheStatusAndDoesNotReapplyTheDaemonSet() {
    ServiceInfo svc = served();
    ActorRef<Command> actor = spawn(svc);

    // it re-claims the granted nodes and plans from the caches before any ledger answered
    assertThat(claims(2)).containsExactly("n1", "n2");
    Summary s = summary(actor);
    assertThat(s.grantedNodes()).containsExactly("n1", "n2");
    assertThat(s.advertised()).containsExactly("10.0.0.1", "10.0.0.2");

    actor.tell(new PortDecision("n1", true, List.of()));
    actor.tell(new PortDecision("n2", true, List.of()));
    actor.tell(new ServiceActor.Resync());
    assertThat(summary(actor).advertised()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(api.calls).doesNotContain(Call.APPLY_DAEMONSET, Call.PATCH_STATUS);
    assertThat(repairs).isEmpty();

    // it is live: a pod that stops being Ready is taken out of the status
    actor.tell(
        new ServiceActor.SvclbPod(Fixtures.svclbPod("n2", false, false, "10.42.1.1"), false));
    await().atMost(WAIT).until(() -> api.statusPatches.size() == 1);
    assertThat(api.statusPatches.get(0).ingress()).containsExactly(IngressInfo.vip("10.0.0.1"));
    assertThat(api.calls).doesNotContain(Call.APPLY_DAEMONSET);
  }

  @Test
  void aDaemonSetWhoseRenderingChangedIsApplied() {
    ServiceInfo before = served();
    ServiceInfo now =
        Fixtures.svc()
            .finalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
            .ingress(BOTH.toArray(new IngressInfo[0]))
            .ports(
                new PortSpec("http", "TCP", 80, 30080, "8080"),
                new PortSpec("https", "TCP", 443, 30443, "8443"))
            .build();
    cache.put(now); // the Service got a port while no actor ran; the DaemonSet is the old one
    assertThat(before.key()).isEqualTo(now.key());
    ActorRef<Command> actor = spawn(now);

    // the deployed DaemonSet serves other ports: nothing is taken as granted, the ledgers decide
    assertThat(claims(2)).containsExactly("n1", "n2");
    assertThat(summary(actor).grantedNodes()).isEmpty();
    actor.tell(new PortDecision("n1", true, List.of()));
    actor.tell(new PortDecision("n2", true, List.of()));
    await().atMost(WAIT).until(() -> api.applied.size() == 1);
    DaemonSet ds = api.applied.get(0);
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers()).hasSize(2);
    assertThat(api.statusPatches).as("the svclb pods stayed Ready").isEmpty();
  }

  @Test
  void withoutSyncedCachesItWaitsForMessages() {
    served();
    cache.synced(false);
    ActorRef<Command> actor = spawn(Fixtures.svc().build());
    assertThat(summary(actor).pendingReason()).isEqualTo("unknown");
    nodes.expectNoMessage(Duration.ofMillis(300));
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aResyncRepairsASvclbPodMessageThatWasLost() {
    ServiceInfo svc = served();
    ActorRef<Command> actor = spawn(svc);
    claims(2);
    actor.tell(new PortDecision("n1", true, List.of()));
    actor.tell(new PortDecision("n2", true, List.of()));
    assertThat(summary(actor).advertised()).hasSize(2);

    // n2's pod went un-Ready, and the message telling the actor was lost
    cache.put(Fixtures.svclbPod("n2", false, false, "10.42.1.1"));
    actor.tell(new ServiceActor.Resync());
    await().atMost(WAIT).until(() -> api.statusPatches.size() == 1);
    assertThat(api.statusPatches.get(0).ingress()).containsExactly(IngressInfo.vip("10.0.0.1"));
    assertThat(repairs).containsExactly("service");

    // facts and caches agree again: the next resync repairs nothing
    actor.tell(new ServiceActor.Resync());
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> repairs.size() == 1);
  }
}
