package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.ServiceActor.Changed;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.Deleted;
import io.netsvc.actors.servicelb.ServiceActor.PoolChanged;
import io.netsvc.actors.servicelb.ServiceActor.PortDecision;
import io.netsvc.actors.servicelb.ServiceActor.Summary;
import io.netsvc.actors.servicelb.ServiceActor.SvclbPod;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.actors.testing.OneMemberCluster.Delivered;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A ServiceActor against stand-in node ledgers and pool (probes behind the real sharding) and an
 * in-memory API writer: what it claims, what it writes, and when it writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceActorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final NodeInfo N1 = Fixtures.node("n1", "InternalIP=10.0.0.1");
  private static final NodeInfo N2 = Fixtures.node("n2", "InternalIP=10.0.0.2");

  OneMemberCluster cluster;
  OneMemberCluster.Route<NodeActor.Command> nodeRoute;
  OneMemberCluster.Route<PoolActor.Command> poolRoute;
  TestProbe<Delivered<NodeActor.Command>> nodes;
  TestProbe<Delivered<PoolActor.Command>> pools;
  FakeServiceLbApi api;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceActorTest");
    nodeRoute = cluster.route(NodeActor.TYPE_KEY);
    poolRoute = cluster.route(PoolActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @BeforeEach
  void fresh() {
    nodes = nodeRoute.freshProbe();
    pools = poolRoute.freshProbe();
    api = new FakeServiceLbApi();
  }

  @Test
  void grantedPortsGiveTheDaemonSetAndReadySvclbPodsTheStatus() {
    ServiceInfo svc = Fixtures.svc().name("granted").build();
    ActorRef<Command> actor = servedOn(svc, N1, N2);

    await().until(() -> api.applied.size() == 1);
    // granted on every eligible node: no node affinity
    assertThat(affinity(api.applied.get(0))).isNull();
    assertThat(api.finalizersAdded).containsExactly("default/granted");
    assertThat(api.statusPatches).as("nothing Ready yet, nothing to advertise").isEmpty();

    actor.tell(readyPod("n1", "10.42.0.1"));
    await().until(() -> api.statusPatches.size() == 1);
    assertThat(api.statusPatches.get(0).ingress()).containsExactly(IngressInfo.vip("10.0.0.1"));

    actor.tell(readyPod("n2", "10.42.0.2"));
    await().until(() -> api.statusPatches.size() == 2);
    assertThat(api.statusPatches.get(1).ingress())
        .containsExactly(IngressInfo.vip("10.0.0.1"), IngressInfo.vip("10.0.0.2"));
    await()
        .untilAsserted(
            () ->
                assertThat(api.reasons())
                    .containsSubsequence(
                        "EnsuringLoadBalancer",
                        "AppliedDaemonSet",
                        "UpdatedLoadBalancer",
                        "UpdatedLoadBalancer"));
    assertThat(api.events)
        .filteredOn(e -> e.reason().equals("UpdatedLoadBalancer"))
        .extracting(FakeServiceLbApi.Event::message)
        .containsExactly(
            "Updated LoadBalancer with new IPs: [] -> [10.0.0.1]",
            "Updated LoadBalancer with new IPs: [10.0.0.1] -> [10.0.0.1 10.0.0.2]");
  }

  @Test
  void svclbPodsThatBecomeReadyTogetherCostOneStatusWrite() {
    ServiceInfo svc = Fixtures.svc().name("together").build();
    ActorRef<Command> actor = servedOn(svc, N1, N2);
    await().until(() -> api.applied.size() == 1);

    actor.tell(readyPod("n1", "10.42.0.1"));
    actor.tell(readyPod("n2", "10.42.0.2"));
    await().until(() -> !api.statusPatches.isEmpty());
    summary(actor); // every message before it has been handled
    assertThat(api.statusPatches)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.ingress())
                    .containsExactly(IngressInfo.vip("10.0.0.1"), IngressInfo.vip("10.0.0.2")));
  }

  @Test
  void aRefusalKeepsTheNodeOutAndWarnsUntilTheLedgerReoffersThePorts() {
    ServiceInfo svc = Fixtures.svc().name("contested").build();
    ActorRef<Command> actor = spawn(svc);
    poolAnswers(actor, svc, N1, N2);
    Conflict dns = new Conflict("n2", "80/TCP", "Pod", "kube-system/dns");
    actor.tell(granted("n1"));
    actor.tell(new PortDecision("n2", false, List.of(dns)));

    await().until(() -> api.applied.size() == 1);
    assertThat(affinity(api.applied.get(0))).containsExactly("n1");
    await().until(() -> api.reasons().contains("HostPortConflict"));
    assertThat(api.events)
        .filteredOn(e -> e.reason().equals("HostPortConflict"))
        .extracting(FakeServiceLbApi.Event::message)
        .containsExactly(
            "Host port(s) not available, svclb pods are not scheduled there: "
                + "80/TCP on n2 is held by Pod kube-system/dns");
    Summary summary = summary(actor);
    assertThat(summary.eligibleNodes()).containsExactly("n1", "n2");
    assertThat(summary.grantedNodes()).containsExactly("n1");
    assertThat(summary.conflicts()).containsExactly(dns);

    // the pod holding the port went away: n2's ledger offers it now
    actor.tell(granted("n2"));
    await().until(() -> api.applied.size() == 2);
    assertThat(affinity(api.applied.get(1))).isNull();
    assertThat(summary(actor).conflicts()).isEmpty();
  }

  @Test
  void refusedEverywhereNothingIsAdvertisedAndTheSummarySaysWhy() {
    ServiceInfo svc = Fixtures.svc().name("crowded").build();
    ActorRef<Command> actor = spawn(svc);
    poolAnswers(actor, svc, N1);
    Conflict other = new Conflict("n1", "80/TCP", "Service", "default/first");
    actor.tell(new PortDecision("n1", false, List.of(other)));

    await().until(() -> summary(actor).pendingReason() != null);
    assertThat(summary(actor).pendingReason())
        .isEqualTo("no node has the ports free: 80/TCP on n1 is held by Service default/first");
    assertThat(api.applied).isEmpty();
    assertThat(api.statusPatches).isEmpty();
  }

  @Test
  void statusAndDaemonSetAreWrittenOnlyWhenTheyChange() {
    ServiceInfo svc = Fixtures.svc().name("steady").build();
    ActorRef<Command> actor = servedOn(svc, N1);
    actor.tell(readyPod("n1", "10.42.0.1"));
    await().until(() -> api.statusPatches.size() == 1);

    // the same facts again, and a periodic pass: it claims again (a ledger may have been
    // rebuilt) but writes nothing
    actor.tell(readyPod("n1", "10.42.0.1"));
    actor.tell(new Changed(svc));
    actor.tell(new ServiceActor.Resync());
    Delivered<NodeActor.Command> reclaim = nodeMessageOf(svc.key());
    assertThat(reclaim.entityId()).isEqualTo("n1");
    assertThat(reclaim.message()).isInstanceOf(NodeActor.ClaimPorts.class);
    summary(actor); // every message before it has been handled
    assertThat(api.statusPatches).hasSize(1);
    assertThat(api.applied).hasSize(1);
  }

  @Test
  void aRebuiltActorLeavesTheStatusOfAServingServiceAlone() {
    ServiceInfo svc =
        Fixtures.svc()
            .name("serving")
            .finalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
            .ingress(IngressInfo.vip("10.0.0.1"))
            .build();
    ActorRef<Command> actor = spawn(svc);
    // the controller replays the svclb pods it knows right after the Service
    actor.tell(readyPod("n1", "10.42.0.1"));
    poolAnswers(actor, svc, N1);
    actor.tell(granted("n1"));

    await().until(() -> api.applied.size() == 1);
    summary(actor);
    assertThat(api.statusPatches).isEmpty();
    assertThat(api.finalizersAdded).isEmpty();
  }

  @Test
  void aDeletedServiceReleasesItsPortsAndStops() {
    ServiceInfo svc = Fixtures.svc().name("leaving").build();
    ActorRef<Command> actor = servedOn(svc, N1);
    await().until(() -> api.applied.size() == 1);

    actor.tell(new Deleted(svc));
    Delivered<NodeActor.Command> release = nodeMessageOf("default/leaving");
    assertThat(release.entityId()).isEqualTo("n1");
    assertThat(release.message()).isEqualTo(new NodeActor.ReleasePorts("default/leaving"));
    Delivered<PoolActor.Command> unsubscribe = poolMessageOf("default/leaving");
    assertThat(unsubscribe.message()).isEqualTo(new PoolActor.Unsubscribe("default/leaving"));
    nodes.expectTerminated(actor, WAIT);
  }

  @Test
  void aServiceThatStopsBeingALoadBalancerIsCleanedUpThenTheActorStops() {
    ServiceInfo svc =
        Fixtures.svc()
            .name("demoted")
            .type("ClusterIP")
            .finalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
            .ingress(IngressInfo.vip("10.0.0.1"))
            .build();
    String ds = ServiceActor.daemonSetName(svc);
    api.existing("kube-system", ds);
    ActorRef<Command> actor = spawn(svc);

    nodes.expectTerminated(actor, WAIT);
    assertThat(api.deleted).containsExactly("kube-system/" + ds);
    assertThat(api.finalizersRemoved).containsExactly("default/demoted");
    assertThat(api.statusPatches)
        .containsExactly(new FakeServiceLbApi.StatusPatch("default/demoted", List.of()));
    assertThat(api.reasons())
        .containsExactly("DeletingLoadBalancer", "DeletedDaemonSet", "DeletedLoadBalancer");
  }

  @Test
  void failedWritesAreRetriedUntilTheyGoThrough() {
    api.failNext(Call.APPLY_DAEMONSET, "the API server is restarting");
    api.failNext(Call.PATCH_STATUS, "etcd timeout");
    ServiceInfo svc = Fixtures.svc().name("flaky").build();
    ActorRef<Command> actor = servedOn(svc, N1);
    actor.tell(readyPod("n1", "10.42.0.1"));

    await().until(() -> api.statusPatches.size() == 1);
    assertThat(api.applied).hasSize(1);
    assertThat(api.calls).filteredOn(c -> c == Call.APPLY_DAEMONSET).hasSizeGreaterThan(1);
    assertThat(api.calls).filteredOn(c -> c == Call.PATCH_STATUS).hasSizeGreaterThan(1);
    assertThat(api.statusPatches.get(0).ingress()).containsExactly(IngressInfo.vip("10.0.0.1"));
    // the event follows the write's answer, which the fake API records the patch before giving
    await().untilAsserted(() -> assertThat(api.reasons()).containsOnlyOnce("UpdatedLoadBalancer"));
  }

  /** A ServiceActor whose pool has these nodes and whose ledgers all granted its ports. */
  private ActorRef<Command> servedOn(ServiceInfo svc, NodeInfo... members) {
    ActorRef<Command> actor = spawn(svc);
    poolAnswers(actor, svc, members);
    for (NodeInfo n : members) actor.tell(granted(n.name()));
    return actor;
  }

  private static PortDecision granted(String node) {
    return new PortDecision(node, true, List.of());
  }

  /** A Ready svclb pod on {@code node}. */
  private static SvclbPod readyPod(String node, String podIP) {
    return new SvclbPod(Fixtures.svclbPod(node, true, false, podIP), false);
  }

  private ActorRef<Command> spawn(ServiceInfo svc) {
    ServiceLbDeps deps = new ServiceLbDeps(api, RENDER, cluster.sharding(), Duration.ofMillis(50));
    ActorRef<Command> actor = cluster.kit().spawn(ServiceActor.create(svc.key(), deps));
    actor.tell(new Changed(svc));
    return actor;
  }

  /**
   * The next message to a pool about {@code serviceKey}. The actors of earlier tests in this class
   * keep running, and a retry's resync among them re-subscribes to the pool and claims again at any
   * moment: such a {@link PoolActor.Resubscribe} of another Service is skipped.
   */
  private Delivered<PoolActor.Command> poolMessageOf(String serviceKey) {
    List<Delivered<PoolActor.Command>> seen =
        pools.fishForMessage(
            WAIT,
            d ->
                d.message() instanceof PoolActor.Resubscribe r && !r.serviceKey().equals(serviceKey)
                    ? FishingOutcomes.continueAndIgnore()
                    : FishingOutcomes.complete());
    return seen.get(seen.size() - 1);
  }

  /** The next message to a node about {@code serviceKey}: as {@link #poolMessageOf}, for claims. */
  private Delivered<NodeActor.Command> nodeMessageOf(String serviceKey) {
    List<Delivered<NodeActor.Command>> seen =
        nodes.fishForMessage(
            WAIT,
            d ->
                d.message() instanceof NodeActor.ClaimPorts c && !c.serviceKey().equals(serviceKey)
                    ? FishingOutcomes.continueAndIgnore()
                    : FishingOutcomes.complete());
    return seen.get(seen.size() - 1);
  }

  /** The Service subscribes to its pool; the pool answers; the Service claims on each node. */
  private void poolAnswers(ActorRef<Command> actor, ServiceInfo svc, NodeInfo... members) {
    Delivered<PoolActor.Command> subscribe = poolMessageOf(svc.key());
    assertThat(subscribe.entityId()).isEqualTo(PoolActor.DEFAULT);
    assertThat(subscribe.message()).isEqualTo(new PoolActor.Subscribe(svc.key()));
    actor.tell(new PoolChanged(PoolActor.DEFAULT, false, List.of(members)));
    Set<String> claimedOn = new TreeSet<>();
    for (int i = 0; i < members.length; i++) {
      Delivered<NodeActor.Command> claim = nodeMessageOf(svc.key());
      assertThat(claim.message()).isInstanceOf(NodeActor.ClaimPorts.class);
      assertThat(((NodeActor.ClaimPorts) claim.message()).serviceKey()).isEqualTo(svc.key());
      claimedOn.add(claim.entityId());
    }
    assertThat(claimedOn)
        .containsExactlyElementsOf(List.of(members).stream().map(NodeInfo::name).sorted().toList());
  }

  private Summary summary(ActorRef<Command> actor) {
    TestProbe<Summary> reply = cluster.kit().createTestProbe();
    actor.tell(new ServiceActor.GetSummary(reply.getRef()));
    return reply.receiveMessage(WAIT);
  }

  /** The nodes the DaemonSet's pods are kept on, or null when it has no node affinity. */
  private static List<String> affinity(DaemonSet ds) {
    Affinity a = ds.getSpec().getTemplate().getSpec().getAffinity();
    if (a == null) return null;
    return a.getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .get(0)
        .getMatchFields()
        .get(0)
        .getValues();
  }
}
