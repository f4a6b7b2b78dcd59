package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeActor.PodPorts;
import io.netsvc.actors.servicelb.PoolActor.NodesUpdated;
import io.netsvc.actors.servicelb.ServiceActor.Changed;
import io.netsvc.actors.servicelb.ServiceActor.Deleted;
import io.netsvc.actors.servicelb.ServiceActor.Endpoints;
import io.netsvc.actors.servicelb.ServiceActor.SvclbPod;
import io.netsvc.actors.servicelb.ServiceLbController.Command;
import io.netsvc.actors.servicelb.ServiceLbController.Keys;
import io.netsvc.actors.servicelb.ServiceLbController.ListPools;
import io.netsvc.actors.servicelb.ServiceLbController.ListServices;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.actors.testing.FakeWatchSource;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.ServiceLbWatchHandler;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ServiceLB watch singleton between a watch the test plays and stand-in ServiceActors,
 * NodeActors and PoolActors (probes behind the real sharding): which entity hears of which change,
 * that none hears anything before the watch listed everything, and the API clean-ups it makes. Each
 * test uses its own entity ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final String LB_NS = "kube-system";
  private static final RenderOptions RENDER =
      new RenderOptions(LB_NS, "klipper-lb", "system-node-critical");

  OneMemberCluster cluster;
  FakeServiceLbApi api;
  FakeWatchSource<ServiceLbWatchHandler> source;
  ActorRef<Command> controller;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceLbControllerTest").withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @BeforeEach
  void fresh() {
    api = new FakeServiceLbApi();
    source = FakeWatchSource.syncedLater();
  }

  @AfterEach
  void stopController() {
    if (controller != null) cluster.kit().stop(controller, WAIT);
    controller = null;
  }

  private void startController(Duration resync) {
    startController(resync, ServiceLbCache.NONE);
  }

  private void startController(Duration resync, ServiceLbCache cache) {
    ServiceLbDeps deps =
        new ServiceLbDeps(
            api,
            RENDER,
            cluster.sharding(),
            Duration.ofMillis(50),
            cache,
            io.netsvc.actors.ResyncRepairs.NONE);
    controller = cluster.kit().spawn(ServiceLbController.create(deps, source, resync));
  }

  /** Syncs the watch and waits until the controller went live (it then lists the DaemonSets). */
  private void syncAndWaitUntilLive() {
    source.sync();
    await().atMost(WAIT).until(() -> api.calls.contains(Call.LIST_DAEMONSETS));
  }

  private ServiceLbWatchHandler watch() {
    return source.handler();
  }

  private List<String> listServices() {
    TestProbe<Keys> reply = cluster.kit().createTestProbe();
    controller.tell(new ListServices(reply.getRef()));
    return reply.receiveMessage(WAIT).keys();
  }

  private List<String> listPools() {
    TestProbe<Keys> reply = cluster.kit().createTestProbe();
    controller.tell(new ListPools(reply.getRef()));
    return reply.receiveMessage(WAIT).keys();
  }

  private TestProbe<ServiceActor.Command> service(String name) {
    return cluster.probe(ServiceActor.TYPE_KEY, "default/" + name);
  }

  private TestProbe<NodeActor.Command> node(String name) {
    return cluster.probe(NodeActor.TYPE_KEY, name);
  }

  private TestProbe<PoolActor.Command> pool(String id) {
    return cluster.probe(PoolActor.TYPE_KEY, id);
  }

  private static ServiceInfo lb(String name) {
    return Fixtures.svc().name(name).build();
  }

  private static ServiceInfo lb(String name, String pool) {
    return Fixtures.svc().name(name).label(SvclbNames.LBPOOL_LABEL, pool).build();
  }

  /** An svclb pod of default/{@code service} on {@code node}, in namespace {@code ns}. */
  private static PodInfo svclbPod(String ns, String service, String node) {
    return new PodInfo(
        ns,
        "svclb-" + service + "-" + node,
        "uid-" + node,
        node,
        Map.of(SvclbNames.SVCNAME_LABEL, service, SvclbNames.SVCNAMESPACE_LABEL, "default"),
        "10.42.0.5",
        List.of("10.42.0.5"),
        "Running",
        true,
        false,
        List.of());
  }

  private static PodInfo hostPortPod(String name, String node, String phase, int port) {
    return new PodInfo(
        "default",
        name,
        "uid-" + name,
        node,
        Map.of("app", name),
        "10.42.1.1",
        List.of("10.42.1.1"),
        phase,
        true,
        false,
        List.of(new HostPortUse(port, "TCP", null)));
  }

  private static EndpointSliceInfo slice(String service, String... readyNodes) {
    return new EndpointSliceInfo("default", service + "-x1", service, List.of(readyNodes));
  }

  private static NodeInfo nodeInfo(String name, String ip) {
    return Fixtures.node(name, "InternalIP=" + ip);
  }

  @Test
  void entitiesHearNothingUntilTheWatchSyncedThenStartWithEverythingKnown() {
    TestProbe<ServiceActor.Command> service = service("early");
    TestProbe<NodeActor.Command> node = node("early-n1");
    TestProbe<PoolActor.Command> pool = pool("early-pool");
    startController(NEVER);
    ServiceInfo svc = lb("early", "early-pool");
    PodInfo svclb = svclbPod(LB_NS, "early", "early-n1");
    EndpointSliceInfo slice = slice("early", "early-n1");
    PodInfo dns = hostPortPod("dns", "early-n1", "Running", 53);
    NodeInfo n1 = nodeInfo("early-n1", "10.0.0.1");
    ServiceLbWatchHandler watch = watch();
    watch.services().observed(svc, false);
    watch.pods().observed(svclb, false);
    watch.endpointSlices().observed(slice, false);
    watch.pods().observed(dns, false);
    watch.nodes().observed(n1, false);
    // the controller answers in order, so it has taken in all of the above
    assertThat(listServices()).containsExactly("default/early");

    source.sync();
    // a restarted controller must not show a ServiceActor its Service without its svclb pods (it
    // would clear the status): the entity hears of everything at once, nothing came before
    assertThat(service.receiveSeveralMessages(3, WAIT))
        .containsExactly(new Changed(svc), new SvclbPod(svclb, false), new Endpoints(slice, false));
    ServiceInfo later =
        Fixtures.svc()
            .name("early")
            .label(SvclbNames.LBPOOL_LABEL, "early-pool")
            .finalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
            .build();
    NodeInfo n2 = nodeInfo("early-n2", "10.0.0.2");
    watch.services().observed(later, false);
    watch.pods().observed(dns, true);
    watch.nodes().observed(n2, false);
    // had anything been routed before the sync, it would come first here
    assertThat(service.receiveMessage(WAIT)).isEqualTo(new Changed(later));
    assertThat(node.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new PodPorts("default/dns", Set.of(new PortKey(53, "TCP"))),
            new PodPorts("default/dns", Set.of()));
    assertThat(pool.receiveSeveralMessages(2, WAIT))
        .containsExactly(new NodesUpdated(List.of(n1)), new NodesUpdated(List.of(n1, n2)));
  }

  @Test
  void orphanedSvclbDaemonSetsAreDeletedOnlyOnceTheWatchSynced() {
    String kept = SvclbNames.daemonSetName("kept", Fixtures.UID);
    api.existing(LB_NS, kept);
    api.existing(LB_NS, "svclb-gone-0a1b2c3d");
    startController(NEVER);
    watch().services().observed(lb("kept"), false);
    assertThat(listServices()).containsExactly("default/kept");
    // until every Service is listed, any DaemonSet might still have one
    assertThat(api.calls).doesNotContain(Call.LIST_DAEMONSETS, Call.DELETE_DAEMONSET);

    source.sync();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(api.daemonSets()).containsExactly(LB_NS + "/" + kept));
    assertThat(api.deleted).containsExactly(LB_NS + "/svclb-gone-0a1b2c3d");
  }

  @Test
  void aSvclbDaemonSetThatAppearsAfterItsServiceWasDeletedIsDeletedToo() {
    var cache = new io.netsvc.actors.testing.FakeServiceLbCache();
    ServiceInfo kept = lb("kept-late");
    ServiceInfo gone = lb("gone-late");
    cache.put(DaemonSetRenderer.render(kept, RENDER, false, null));
    startController(NEVER, cache);
    watch().services().observed(kept, false);
    syncAndWaitUntilLive();
    watch().services().observed(gone, false);
    watch().services().observed(gone, true);
    // an apply that was still in flight when the Service went (or a delete the singleton missed
    // while it moved): the DaemonSet shows up after the start-up clean-up
    cache.put(DaemonSetRenderer.render(gone, RENDER, false, null));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(api.deleted)
                    .containsExactly(
                        LB_NS + "/" + SvclbNames.daemonSetName("gone-late", Fixtures.UID)));
  }

  @Test
  void aStartingControllerRemovesTheFinalizerOlderK3sVersionsLeft() {
    api.existingFinalizer(SvclbNames.LEGACY_FINALIZER, "default/old");
    api.existingFinalizer(ServiceInfo.LB_CLEANUP_FINALIZER, "default/current");
    startController(NEVER);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(api.holding(SvclbNames.LEGACY_FINALIZER)).isEmpty());
    assertThat(api.holding(ServiceInfo.LB_CLEANUP_FINALIZER)).containsExactly("default/current");
    assertThat(api.calls).contains(Call.ENSURE_NAMESPACE);
  }

  @Test
  void changesReachTheServiceTheyBelongToWhileItIsALoadBalancer() {
    TestProbe<ServiceActor.Command> service = service("live");
    startController(NEVER);
    syncAndWaitUntilLive();
    ServiceLbWatchHandler watch = watch();
    ServiceInfo svc = lb("live");
    PodInfo svclb = svclbPod(LB_NS, "live", "n1");
    EndpointSliceInfo slice = slice("live", "n1");
    watch.services().observed(svc, false);
    watch.pods().observed(svclb, false);
    watch.endpointSlices().observed(slice, false);
    watch.pods().observed(svclb, true);
    // svclb labels outside the svclb namespace, or another Service's slice: not this Service's
    watch.pods().observed(svclbPod("default", "live", "n2"), false);
    watch.endpointSlices().observed(slice("other", "n1"), false);
    ServiceInfo demoted = Fixtures.svc().name("live").type("ClusterIP").build();
    // the actor hears of its demotion, to clean up; the controller no longer counts it
    watch.services().observed(demoted, false);
    watch.services().observed(lb("live-marker"), false);
    assertThat(listServices()).containsExactly("default/live-marker");
    // meanwhile its slices are kept, not sent: it gets them once it is a LoadBalancer again
    EndpointSliceInfo meanwhile = slice("live", "n2");
    watch.endpointSlices().observed(meanwhile, false);
    watch.services().observed(svc, false);
    assertThat(service.receiveSeveralMessages(7, WAIT))
        .containsExactly(
            new Changed(svc),
            new SvclbPod(svclb, false),
            new Endpoints(slice, false),
            new SvclbPod(svclb, true),
            new Changed(demoted),
            new Changed(svc),
            new Endpoints(meanwhile, false));
    assertThat(listServices()).containsExactly("default/live", "default/live-marker");

    // a deleted Service's actor is told, with the Service's last state
    TestProbe<ServiceActor.Command> bye = service("bye");
    ServiceInfo goodbye = lb("bye");
    watch.services().observed(goodbye, false);
    watch.services().observed(goodbye, true);
    assertThat(bye.receiveSeveralMessages(2, WAIT))
        .containsExactly(new Changed(goodbye), new Deleted(goodbye));
    assertThat(listServices()).containsExactly("default/live", "default/live-marker");
  }

  @Test
  void aPodsHostPortsAreHeldOnTheNodeItRunsOnUntilItFinishes() {
    TestProbe<NodeActor.Command> first = node("hp-n1");
    TestProbe<NodeActor.Command> second = node("hp-n2");
    startController(NEVER);
    syncAndWaitUntilLive();
    ServiceLbWatchHandler watch = watch();
    Set<PortKey> http = Set.of(new PortKey(8080, "TCP"));
    watch.pods().observed(hostPortPod("proxy", "hp-n1", "Running", 8080), false);
    assertThat(first.receiveMessage(WAIT)).isEqualTo(new PodPorts("default/proxy", http));
    // rescheduled: the old node's ledger frees the port, the new one holds it
    watch.pods().observed(hostPortPod("proxy", "hp-n2", "Running", 8080), false);
    assertThat(first.receiveMessage(WAIT)).isEqualTo(new PodPorts("default/proxy", Set.of()));
    assertThat(second.receiveMessage(WAIT)).isEqualTo(new PodPorts("default/proxy", http));
    watch.pods().observed(hostPortPod("proxy", "hp-n2", "Succeeded", 8080), false);
    assertThat(second.receiveMessage(WAIT)).isEqualTo(new PodPorts("default/proxy", Set.of()));
  }

  @Test
  void everyPoolLearnsTheNodesAndAnswersListTheServicesAndPools() {
    TestProbe<PoolActor.Command> defaultPool = pool(PoolActor.DEFAULT);
    TestProbe<PoolActor.Command> blue = pool("blue");
    startController(NEVER);
    syncAndWaitUntilLive();
    ServiceLbWatchHandler watch = watch();
    NodeInfo n1 = nodeInfo("pool-n1", "10.0.0.1");
    NodeInfo n2 = nodeInfo("pool-n2", "10.0.0.2");
    watch.nodes().observed(n1, false);
    watch.nodes().observed(n2, false);
    untilNodes(defaultPool, List.of(n1, n2));

    // a Service of a new pool: its pool starts with every node at once
    watch.services().observed(lb("painted", "blue"), false);
    assertThat(blue.receiveMessage(WAIT)).isEqualTo(new NodesUpdated(List.of(n1, n2)));
    assertThat(listServices()).containsExactly("default/painted");
    assertThat(listPools()).containsExactly(PoolActor.DEFAULT, "blue");

    watch.nodes().observed(n1, true);
    untilNodes(defaultPool, List.of(n2));
    untilNodes(blue, List.of(n2));
  }

  /** Waits until the pool is told exactly these nodes (a burst may be told in one or more). */
  private static void untilNodes(TestProbe<PoolActor.Command> pool, List<NodeInfo> nodes) {
    pool.fishForMessage(
        WAIT,
        m ->
            m.equals(new NodesUpdated(nodes))
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void thePeriodicResyncTellsEveryServiceToCatchUp() {
    TestProbe<ServiceActor.Command> service = service("resynced");
    startController(Duration.ofMillis(100));
    syncAndWaitUntilLive();
    ServiceInfo svc = lb("resynced");
    watch().services().observed(svc, false);
    assertThat(service.receiveMessage(WAIT)).isEqualTo(new Changed(svc));
    // a lost message or a rebuilt entity catches up: the Service again, then the resync
    assertThat(service.receiveSeveralMessages(2, WAIT))
        .containsExactly(new Changed(svc), new ServiceActor.Resync());
  }
}
