package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.Passivation;
import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.ServiceActor.Summary;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An idle ServiceActor passivates (it asks its shard), and the next message rebuilds it from the
 * member's caches with the same grants and status, writing nothing; one with a write to retry
 * stays.
 */
class ServiceActorPassivationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final NodeInfo N1 = Fixtures.node("n1", "InternalIP=10.0.0.1");
  private static final NodeInfo N2 = Fixtures.node("n2", "InternalIP=10.0.0.2");
  private static final List<IngressInfo> BOTH =
      List.of(IngressInfo.vip("10.0.0.1"), IngressInfo.vip("10.0.0.2"));

  private final FakeServiceLbApi api = new FakeServiceLbApi();
  private final FakeServiceLbCache cache = new FakeServiceLbCache().put(N1).put(N2);
  private OneMemberCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  /** A cluster whose ServiceActors passivate after {@link #IDLE}, the nodes and pools silent. */
  private void start(Duration retryBackoff) {
    cluster = OneMemberCluster.start("ServiceActorPassivationTest" + RUN.incrementAndGet());
    cluster.standIn(NodeActor.TYPE_KEY);
    cluster.standIn(PoolActor.TYPE_KEY);
    ResyncRepairs none = kind -> {};
    ServiceLbDeps deps =
        new ServiceLbDeps(api, RENDER, cluster.sharding(), retryBackoff, cache, none);
    cluster
        .sharding()
        .init(
            Entity.of(
                ServiceActor.TYPE_KEY,
                c -> ServiceActor.create(c.getEntityId(), deps, Passivation.Idle.of(c, IDLE))));
  }

  /** The Service served on n1 and n2: Ready svclb pods on both, advertised, DaemonSet deployed. */
  private ServiceInfo served(IngressInfo... advertised) {
    ServiceInfo svc =
        Fixtures.svc().finalizers(ServiceInfo.LB_CLEANUP_FINALIZER).ingress(advertised).build();
    cache.put(svc);
    cache.put(Fixtures.svclbPod("n1", true, false, "10.42.0.1"));
    cache.put(Fixtures.svclbPod("n2", true, false, "10.42.1.1"));
    cache.put(FakeServiceLbCache.stored(DaemonSetRenderer.render(svc, RENDER, false, null)));
    return svc;
  }

  private Summary summary(ServiceInfo svc) {
    TestProbe<Summary> reply = cluster.kit().createTestProbe();
    cluster
        .sharding()
        .entityRefFor(ServiceActor.TYPE_KEY, svc.key())
        .tell(new ServiceActor.GetSummary(reply.getRef()));
    return reply.receiveMessage(WAIT);
  }

  /** The ServiceActors running on this member, as its shard region reports them. */
  private Set<String> running() {
    TestProbe<ShardRegion.CurrentShardRegionState> reply = cluster.kit().createTestProbe();
    cluster
        .sharding()
        .shardState()
        .tell(new GetShardRegionState(ServiceActor.TYPE_KEY, reply.ref()));
    return reply.receiveMessage(WAIT).getShards().stream()
        .flatMap(s -> s.getEntityIds().stream())
        .collect(Collectors.toSet());
  }

  @Test
  void anIdleServiceActorPassivatesAndIsRebuiltWithItsGrantsAndStatus() {
    start(Duration.ofMillis(50));
    ServiceInfo svc = served(BOTH.toArray(new IngressInfo[0]));

    Summary before = summary(svc);
    assertThat(before.grantedNodes()).containsExactly("n1", "n2");
    assertThat(before.advertised()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(running()).contains(svc.key());

    await().atMost(WAIT).until(() -> !running().contains(svc.key()));

    Summary after = summary(svc);
    assertThat(after.grantedNodes()).isEqualTo(before.grantedNodes());
    assertThat(after.advertised()).isEqualTo(before.advertised());
    assertThat(after.pendingReason()).isEqualTo(before.pendingReason());
    assertThat(running()).contains(svc.key());
    assertThat(api.calls)
        .as("neither incarnation wrote anything")
        .doesNotContain(Call.APPLY_DAEMONSET, Call.PATCH_STATUS, Call.ADD_FINALIZER);
  }

  @Test
  void aServiceActorWithAWriteToRetryDoesNotPassivate() {
    start(Duration.ofMinutes(1));
    api.failNext(Call.PATCH_STATUS, "the API is down");
    ServiceInfo svc = served(); // Ready pods, nothing advertised yet: the status must be written

    summary(svc);
    await().atMost(WAIT).until(() -> api.calls.contains(Call.PATCH_STATUS));
    // the retry is a minute away: many idle periods pass, the actor stays to make it
    await()
        .during(IDLE.multipliedBy(6))
        .atMost(IDLE.multipliedBy(10))
        .until(() -> running().contains(svc.key()));
    assertThat(api.statusPatches).isEmpty();
  }

  @Test
  void aServiceActorStaysWhileTheDaemonSetItAppliedRollsOut() {
    start(Duration.ofMillis(50));
    ServiceInfo svc = Fixtures.svc().finalizers(ServiceInfo.LB_CLEANUP_FINALIZER).build();
    cache.put(svc); // no DaemonSet, no svclb pods yet

    summary(svc);
    var ref = cluster.sharding().entityRefFor(ServiceActor.TYPE_KEY, svc.key());
    ref.tell(new ServiceActor.PortDecision("n1", true, List.of()));
    ref.tell(new ServiceActor.PortDecision("n2", true, List.of()));
    await().atMost(WAIT).until(() -> api.applied.size() == 1);

    // its svclb pods are yet to come: many idle periods pass, the actor stays for them
    await()
        .during(IDLE.multipliedBy(6))
        .atMost(IDLE.multipliedBy(10))
        .until(() -> running().contains(svc.key()));

    for (String node : List.of("n1", "n2")) {
      var pod = Fixtures.svclbPod(node, true, false, "10.42.0." + node.charAt(1));
      cache.put(pod);
      ref.tell(new ServiceActor.SvclbPod(pod, false));
    }
    await().atMost(WAIT).until(() -> api.statusPatches.size() == 1);
    assertThat(api.statusPatches.get(0).ingress()).isEqualTo(BOTH);
    // rolled out: now it passivates
    await().atMost(WAIT).until(() -> !running().contains(svc.key()));
    assertThat(api.applied).hasSize(1);
  }
}
