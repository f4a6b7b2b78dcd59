package io.netsvc.actors.netpol;

import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A NetworkPolicyActor that starts again (a restart, a move after a member crashed) knows nothing
 * of what its predecessor sent; it reads its policy, namespaces and pods from the member's caches.
 * The nodes are probes (stand-in NodeActors); each test uses its own namespace and nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkPolicyActorRebuildTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  OneMemberCluster cluster;
  final AtomicInteger repairs = new AtomicInteger();

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NetworkPolicyActorRebuildTest", true);
    cluster.standIn(NamespaceActor.TYPE_KEY);
    cluster.standIn(NodeActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  static NetpolPod pod(String ns, String name, String node, String ip) {
    return new NetpolPod(ns, name, node, Map.of("app", "web"), ip, null, List.of(), false, false);
  }

  private ActorRef<NetworkPolicyActor.Command> incarnation(String key, NetpolCache cache) {
    NetpolDeps deps =
        new NetpolDeps(
            cluster.sharding(),
            new RecordedEvents(),
            nanos -> {},
            cache,
            repairs::incrementAndGet,
            Duration.ofHours(1));
    return cluster.kit().spawn(NetworkPolicyActor.create(key, deps));
  }

  private static NodeActor.PolicyFragment fragment(TestProbe<NodeActor.Command> node) {
    return node.expectMessageClass(NodeActor.PolicyFragment.class, WAIT);
  }

  private void stopped(ActorRef<NetworkPolicyActor.Command> ref) {
    cluster.kit().stop(ref, WAIT);
  }

  @Test
  void aRebuiltPolicyDeletedAfterwardsIsRemovedFromEveryNodeThatHoldsIt() {
    NetworkPolicyInfo p = ingress("rb", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("rb", Map.of()))
            .with(pod("rb", "web-1", "rb-n1", "10.42.1.10"))
            .with(pod("rb", "web-2", "rb-n2", "10.42.2.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "rb-n1");
    TestProbe<NodeActor.Command> n2 = cluster.probe(NodeActor.TYPE_KEY, "rb-n2");

    // the first incarnation starts from the caches alone and sends both nodes their fragment
    ActorRef<NetworkPolicyActor.Command> first = incarnation(p.key(), cache);
    long before = fragment(n1).generation();
    assertThat(fragment(n2).generation()).isEqualTo(before);
    stopped(first);

    // its successor knows what to send without being told anything
    ActorRef<NetworkPolicyActor.Command> rebuilt = incarnation(p.key(), cache);
    NodeActor.PolicyFragment again = fragment(n1);
    assertThat(again.policy().targets()).containsExactly("rb/web-1");
    assertThat(again.generation()).isNotEqualTo(before);
    fragment(n2);

    rebuilt.tell(new NetworkPolicyActor.PolicyDeleted());
    for (TestProbe<NodeActor.Command> n : List.of(n1, n2)) {
      NodeActor.PolicyFragment removal = fragment(n);
      assertThat(removal.policyKey()).isEqualTo(p.key());
      assertThat(removal.policy()).isNull();
    }
  }

  @Test
  void anIncarnationStartedByTheDeletionRemovesThePolicyFromTheNodesItTargeted() {
    NetworkPolicyInfo p = ingress("gone", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("gone", Map.of()))
            .with(pod("gone", "web-1", "gone-n1", "10.42.1.10"))
            .with(pod("gone", "web-2", "gone-n2", "10.42.2.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "gone-n1");
    TestProbe<NodeActor.Command> n2 = cluster.probe(NodeActor.TYPE_KEY, "gone-n2");
    ActorRef<NetworkPolicyActor.Command> first = incarnation(p.key(), cache);
    long sent = fragment(n1).generation();
    fragment(n2);
    stopped(first);

    // the policy is deleted while no actor runs for it: the deletion starts one, which never saw
    // the policy in the caches, and removes it from the nodes it targeted all the same
    FakeNetpolCache after =
        new FakeNetpolCache()
            .with(new NamespaceInfo("gone", Map.of()))
            .with(pod("gone", "web-1", "gone-n1", "10.42.1.10"))
            .with(pod("gone", "web-2", "gone-n2", "10.42.2.10"));
    incarnation(p.key(), after).tell(new NetworkPolicyActor.PolicyDeleted(p));
    for (TestProbe<NodeActor.Command> n : List.of(n1, n2)) {
      NodeActor.PolicyFragment removal = fragment(n);
      assertThat(removal.policyKey()).isEqualTo(p.key());
      assertThat(removal.policy()).isNull();
      assertThat(removal.generation()).isGreaterThan(sent);
    }
  }

  @Test
  void aNodeStillHoldingAPolicyThatLeftItGetsTheRemovalAndItIsCountedAsARepair() {
    NetworkPolicyInfo p = ingress("held", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("held", Map.of()))
            .with(pod("held", "web-1", "held-n1", "10.42.1.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "held-n1");
    TestProbe<NodeActor.Command> stale = cluster.probe(NodeActor.TYPE_KEY, "held-n9");
    ActorRef<NetworkPolicyActor.Command> policy = incarnation(p.key(), cache);
    long g = fragment(n1).generation();
    int repairsBefore = repairs.get();

    // the node it was sent to holds the current generation: nothing to repair
    policy.tell(new NetworkPolicyActor.Held("held-n1", g));
    // a node that kept a fragment of an earlier incarnation, which no longer selects a pod there
    policy.tell(new NetworkPolicyActor.Held("held-n9", 7));
    NodeActor.PolicyFragment removal = fragment(stale);
    assertThat(removal.policy()).isNull();
    // the actor counts the repair just after sending it: the probe may see the fragment first
    await().untilAsserted(() -> assertThat(repairs.get()).isEqualTo(repairsBefore + 1));
    n1.expectNoMessage(Duration.ofMillis(200));

    // a node asking for the fragment (a rebuilt NodeActor) gets it, without a repair counted
    policy.tell(new NetworkPolicyActor.Resend("held-n1"));
    assertThat(fragment(n1).generation()).isEqualTo(g);
    assertThat(repairs.get()).isEqualTo(repairsBefore + 1);
  }

  @Test
  void aNodeWhosePartDidNotChangeKeepsItsGenerationAndTheResyncRepairsItAtThatGeneration() {
    NetworkPolicyInfo p = ingress("keep", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("keep", Map.of()))
            .with(pod("keep", "web-1", "keep-n1", "10.42.1.10"))
            .with(pod("keep", "web-2", "keep-n2", "10.42.2.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "keep-n1");
    TestProbe<NodeActor.Command> n2 = cluster.probe(NodeActor.TYPE_KEY, "keep-n2");
    ActorRef<NetworkPolicyActor.Command> policy = incarnation(p.key(), cache);
    long g = fragment(n1).generation();
    fragment(n2);

    // a pod starts on keep-n2: only keep-n2 is sent a new generation
    NetpolPod web3 = pod("keep", "web-3", "keep-n2", "10.42.2.11");
    cache.with(web3);
    policy.tell(new NetworkPolicyActor.PodChanged(web3));
    NodeActor.PolicyFragment n2Now = fragment(n2);
    assertThat(n2Now.generation()).isGreaterThan(g);
    assertThat(n2Now.policy().targets()).containsExactly("keep/web-2", "keep/web-3");
    n1.expectNoMessage(Duration.ofMillis(300));
    int repairsBefore = repairs.get();

    // keep-n1's report of the older generation is what it should hold: nothing to repair
    policy.tell(new NetworkPolicyActor.Held("keep-n1", g));
    n1.expectNoMessage(Duration.ofMillis(200));
    assertThat(repairs.get()).isEqualTo(repairsBefore);

    // two rounds on, keep-n1 reports something else: it is sent its part again, still at g
    policy.tell(new NetworkPolicyActor.Resync());
    policy.tell(new NetworkPolicyActor.Resync());
    policy.tell(new NetworkPolicyActor.Held("keep-n1", g - 1));
    NodeActor.PolicyFragment repaired = fragment(n1);
    assertThat(repaired.generation()).isEqualTo(g);
    assertThat(repaired.policy().targets()).containsExactly("keep/web-1");
    await().untilAsserted(() -> assertThat(repairs.get()).isEqualTo(repairsBefore + 1));
  }

  @Test
  void aPolicyThatNoLongerExistsAnswersANodeWithARemoval() {
    FakeNetpolCache cache = new FakeNetpolCache();
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "gone-n1");
    ActorRef<NetworkPolicyActor.Command> policy = incarnation("gone/deleted", cache);
    policy.tell(new NetworkPolicyActor.Resend("gone-n1"));
    NodeActor.PolicyFragment removal = fragment(n1);
    assertThat(removal.policyKey()).isEqualTo("gone/deleted");
    assertThat(removal.policy()).isNull();
  }

  @Test
  void aReportThatCrossedTheDeletionGetsTheRemovalWithoutARepairCounted() {
    FakeNetpolCache cache = new FakeNetpolCache();
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "crossed-n1");
    int repairsBefore = repairs.get();
    // the old incarnation stopped on the deletion; the node's report was already on its way
    incarnation("crossed/deleted", cache).tell(new NetworkPolicyActor.Held("crossed-n1", 3));
    NodeActor.PolicyFragment removal = fragment(n1);
    assertThat(removal.policyKey()).isEqualTo("crossed/deleted");
    assertThat(removal.policy()).isNull();
    assertThat(repairs.get()).isEqualTo(repairsBefore);
  }

  @Test
  void aPolicyDeletedWhileNoControllerRanIsFoundGoneWhenANodeReportsHoldingIt() {
    NetworkPolicyInfo p = ingress("unrouted", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("unrouted", Map.of()))
            .with(pod("unrouted", "web-1", "unrouted-n1", "10.42.1.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "unrouted-n1");
    ActorRef<NetworkPolicyActor.Command> actor = incarnation(p.key(), cache);
    actor.tell(new NetworkPolicyActor.PolicyChanged(p)); // the controller then running routed it
    long sent = fragment(n1).generation();
    int repairsBefore = repairs.get();

    // deleted while the controller singleton was restarting: no PolicyDeleted ever comes, only
    // the caches know; the node's report (its resync, or the new controller's Recheck) reaches
    // an actor that still believes in the policy
    cache.policies.remove(p.key());
    actor.tell(new NetworkPolicyActor.Held("unrouted-n1", sent));
    NodeActor.PolicyFragment removal = fragment(n1);
    assertThat(removal.policyKey()).isEqualTo(p.key());
    assertThat(removal.policy()).isNull();
    assertThat(repairs.get()).isEqualTo(repairsBefore + 1);
  }

  @Test
  void aPolicyTheCachesLackOnlyBrieflyStays() {
    NetworkPolicyInfo p = ingress("lagging", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("lagging", Map.of()))
            .with(pod("lagging", "web-1", "lagging-n1", "10.42.1.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "lagging-n1");
    ActorRef<NetworkPolicyActor.Command> actor = incarnation(p.key(), cache);
    long sent = fragment(n1).generation();

    // this member's informer lags behind the controller's: the policy is back before the check
    cache.policies.remove(p.key());
    actor.tell(new NetworkPolicyActor.Held("lagging-n1", sent));
    TestProbe<NetworkPolicyActor.Status> status = cluster.kit().createTestProbe();
    actor.tell(new NetworkPolicyActor.GetStatus(status.getRef()));
    status.receiveMessage(WAIT); // the report was handled while the caches lacked the policy
    cache.with(p);
    n1.expectNoMessage(NetworkPolicyActor.GONE_CHECK.plusSeconds(1));
  }

  @Test
  void aRebuiltNodeAskingForAPolicyDeletedWhileNoControllerRanGetsItsRemoval() {
    NetworkPolicyInfo p = ingress("asked", "deny-web", labels("app", "web"));
    FakeNetpolCache cache =
        new FakeNetpolCache()
            .with(p)
            .with(new NamespaceInfo("asked", Map.of()))
            .with(pod("asked", "web-1", "asked-n1", "10.42.1.10"));
    TestProbe<NodeActor.Command> n1 = cluster.probe(NodeActor.TYPE_KEY, "asked-n1");
    ActorRef<NetworkPolicyActor.Command> actor = incarnation(p.key(), cache);
    actor.tell(new NetworkPolicyActor.PolicyChanged(p));
    fragment(n1);

    // the node's actor was rebuilt (its member died with the singleton's) and asks for every
    // policy its agent holds; this one was deleted while no controller ran
    cache.policies.remove(p.key());
    actor.tell(new NetworkPolicyActor.Resend("asked-n1"));
    // the answer to the ask may still be the fragment; the removal follows
    NodeActor.PolicyFragment last = fragment(n1);
    if (last.policy() != null) last = fragment(n1);
    assertThat(last.policyKey()).isEqualTo(p.key());
    assertThat(last.policy()).isNull();
  }
}
