package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A NodeActor that starts (after a crash, a move) recovers its ledger's holders from the member's
 * caches before it answers any claim: the Services whose svclb DaemonSet runs on the node and the
 * hostPort pods. Real sharding in a one-member cluster, every message through CBOR; each test has
 * its own node, whose caches are an in-memory {@link FakeServiceLbCache}, and its own Services.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodePortsRecoveryTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** How often a recovered holder that has not claimed is looked at again (15 s in a member). */
  static final Duration HOLDER_RECHECK = Duration.ofSeconds(2);

  static final RenderOptions RENDER =
      new RenderOptions("kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  static final String OLD = "2020-01-01T00:00:00Z";
  static final String YOUNG = "2026-01-01T00:00:00Z";
  static final Set<PortKey> HTTP = Set.of(new PortKey(80, "TCP"));

  OneMemberCluster cluster;
  final Map<String, FakeServiceLbCache> caches = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NodePortsRecoveryTest");
    cluster.standIn(ServiceActor.TYPE_KEY);
    NodeParts parts =
        new NodeParts(
            node -> NodePorts.factory(cluster.sharding(), cache(node), HOLDER_RECHECK).create(node),
            CloudNodeKeeper.factory(null, false),
            NodeNetpol.factory(cluster.sharding()),
            Duration.ofSeconds(1),
            NodeParts.Agents.UNCHECKED);
    cluster
        .sharding()
        .init(Entity.of(NodeActor.TYPE_KEY, ctx -> NodeActor.create(ctx.getEntityId(), parts)));
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  FakeServiceLbCache cache(String node) {
    return caches.computeIfAbsent(node, n -> new FakeServiceLbCache());
  }

  static ServiceInfo service(String name, String created, int port) {
    return new ServiceInfo(
        "default",
        name,
        "uid-" + name,
        "1",
        created,
        "LoadBalancer",
        null,
        List.of(new PortSpec("p" + port, "TCP", port, 30000 + port, null)),
        List.of("10.43.0.10"),
        List.of("IPv4"),
        "Cluster",
        List.of(),
        null,
        Map.of(),
        Map.of(),
        List.of(),
        false,
        List.of());
  }

  /** The Service and its svclb DaemonSet, pinned to {@code nodes} (none: every eligible node). */
  static void deploy(FakeServiceLbCache cache, ServiceInfo svc, String... nodes) {
    cache.put(svc);
    TreeSet<String> affinity = nodes.length == 0 ? null : new TreeSet<>(List.of(nodes));
    cache.put(FakeServiceLbCache.stored(DaemonSetRenderer.render(svc, RENDER, false, affinity)));
  }

  void tell(String node, NodeActor.Command m) {
    cluster.sharding().entityRefFor(NodeActor.TYPE_KEY, node).tell(m);
  }

  TestProbe<ServiceActor.Command> service(String key) {
    return cluster.probe(ServiceActor.TYPE_KEY, key);
  }

  NodeActor.Ledger ledger(String node) {
    TestProbe<NodeActor.Ledger> probe = cluster.kit().createTestProbe();
    tell(node, new NodeActor.GetLedger(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  static ServiceActor.PortDecision refused(String node, String port, String kind, String holder) {
    return new ServiceActor.PortDecision(
        node, false, List.of(new Conflict(node, port, kind, holder)));
  }

  @Test
  void anOlderServiceClaimingRightAfterARestartWaitsBehindTheDeployedHolder() {
    deploy(cache("r1"), service("young", YOUNG, 80), "r1", "r9");
    TestProbe<ServiceActor.Command> old = service("default/old");
    TestProbe<ServiceActor.Command> young = service("default/young");
    // the first message the new NodeActor gets is the older Service's claim
    tell("r1", new NodeActor.ClaimPorts("default/old", OLD, HTTP));
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(refused("r1", "80/TCP", "Service", "default/young"));
    // the holder's ServiceActor claims again (its resync) and hears its grant
    tell("r1", new NodeActor.ClaimPorts("default/young", YOUNG, HTTP));
    assertThat(young.receiveMessage(WAIT))
        .isEqualTo(new ServiceActor.PortDecision("r1", true, List.of()));
    NodeActor.Ledger l = ledger("r1");
    assertThat(l.held()).containsExactly(new NodeActor.Held("80/TCP", "Service", "default/young"));
    assertThat(l.waiting())
        .containsExactly(
            new NodeActor.Waiting(
                "default/old", List.of(new Conflict("r1", "80/TCP", "Service", "default/young"))));
    // when the holder leaves, the older Service gets the port
    tell("r1", new NodeActor.ReleasePorts("default/young"));
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(new ServiceActor.PortDecision("r1", true, List.of()));
  }

  @Test
  void theManagementViewShowsWhatIsDeployedHereAndNothingElse() {
    FakeServiceLbCache cache = cache("r2");
    cache.put(new NodeInfo("r2", Map.of(), Map.of(), List.of(), List.of(), null));
    deploy(cache, service("pinned", YOUNG, 80), "r2");
    deploy(cache, service("everywhere", YOUNG, 443)); // no affinity: every eligible node
    deploy(cache, service("elsewhere", YOUNG, 8080), "r7");
    ServiceInfo gone = service("gone", YOUNG, 9000);
    deploy(cache, gone, "r2");
    cache.remove(gone); // an orphan DaemonSet is deleted, not held
    cache.put(hostPortPod("kube-system/dns", "r2", 53, "UDP"));
    assertThat(ledger("r2").held())
        .containsExactly(
            new NodeActor.Held("53/UDP", "Pod", "kube-system/dns"),
            new NodeActor.Held("80/TCP", "Service", "default/pinned"),
            new NodeActor.Held("443/TCP", "Service", "default/everywhere"));
  }

  @Test
  void twoServicesDeployedOnOnePortGoByCreationTimeAndTheYoungerIsTold() {
    TestProbe<ServiceActor.Command> younger = service("default/b-younger");
    deploy(cache("r3"), service("b-younger", YOUNG, 80), "r3");
    deploy(cache("r3"), service("a-older", OLD, 80), "r3");
    NodeActor.Ledger l = ledger("r3");
    assertThat(l.held())
        .containsExactly(new NodeActor.Held("80/TCP", "Service", "default/a-older"));
    assertThat(younger.receiveMessage(WAIT))
        .isEqualTo(refused("r3", "80/TCP", "Service", "default/a-older"));
  }

  @Test
  void claimsWaitUntilTheCachesHaveSynced() {
    FakeServiceLbCache cache = cache("r4").synced(false);
    deploy(cache, service("young", YOUNG, 80), "r4");
    TestProbe<ServiceActor.Command> old = service("default/old");
    tell("r4", new NodeActor.ClaimPorts("default/old", OLD, HTTP));
    // the NodeActor has the claim and knows of no holder yet
    NodeActor.Ledger before = ledger("r4");
    assertThat(before.held()).isEmpty();
    assertThat(before.waiting()).isEmpty();
    cache.synced(true);
    // decided only after the holder was recovered: never granted first and taken back
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(refused("r4", "80/TCP", "Service", "default/young"));
  }

  @Test
  void cachesThatSyncLateStillGiveTheDeployedHolderItsPortBack() {
    FakeServiceLbCache cache = cache("r7").synced(false);
    deploy(cache, service("young", YOUNG, 80), "r7");
    TestProbe<ServiceActor.Command> old = service("default/old");
    tell("r7", new NodeActor.ClaimPorts("default/old", OLD, HTTP));
    // the caches do not sync in time: the claim is decided without them
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(new ServiceActor.PortDecision("r7", true, List.of()));
    cache.synced(true);
    // the next look at the ledger recovers the holder, which wins; the claimant is told
    assertThat(ledger("r7").held())
        .containsExactly(new NodeActor.Held("80/TCP", "Service", "default/young"));
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(refused("r7", "80/TCP", "Service", "default/young"));
  }

  @Test
  void aRecoveredHostPortPodRefusesAClaim() {
    cache("r5").put(hostPortPod("default/proxy", "r5", 80, "TCP"));
    TestProbe<ServiceActor.Command> web = service("default/web");
    tell("r5", new NodeActor.ClaimPorts("default/web", OLD, HTTP));
    assertThat(web.receiveMessage(WAIT)).isEqualTo(refused("r5", "80/TCP", "Pod", "default/proxy"));
  }

  @Test
  void aRecoveredHolderThatIsNoLongerDeployedHereGivesItsPortToTheWaitingService() {
    FakeServiceLbCache cache = cache("r6");
    ServiceInfo moved = service("moved", YOUNG, 80);
    deploy(cache, moved, "r6", "r8");
    TestProbe<ServiceActor.Command> old = service("default/old");
    tell("r6", new NodeActor.ClaimPorts("default/old", OLD, HTTP));
    assertThat(old.receiveMessage(WAIT))
        .isEqualTo(refused("r6", "80/TCP", "Service", "default/moved"));
    // the holder's ServiceActor had released this node before the restart and re-rendered its
    // DaemonSet without it: it will not claim or release here again
    deploy(cache, moved, "r8");
    assertThat(old.receiveMessage(Duration.ofSeconds(40)))
        .isEqualTo(new ServiceActor.PortDecision("r6", true, List.of()));
    assertThat(ledger("r6").held())
        .containsExactly(new NodeActor.Held("80/TCP", "Service", "default/old"));
  }

  static PodInfo hostPortPod(String key, String node, int port, String protocol) {
    String[] nsName = key.split("/");
    return new PodInfo(
        nsName[0],
        nsName[1],
        "uid-" + nsName[1],
        node,
        Map.of("app", nsName[1]),
        "10.42.0.9",
        List.of("10.42.0.9"),
        "Running",
        true,
        false,
        List.of(new HostPortUse(port, protocol, null)));
  }
}
