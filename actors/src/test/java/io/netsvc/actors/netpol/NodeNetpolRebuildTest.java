package io.netsvc.actors.netpol;

import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A NodeActor that starts again (a restart, a move after a member crashed) with the real
 * NetworkPolicy and Namespace entities and the member's caches: it gets its fragments back from the
 * policies before it marks its agent's snapshot complete, and a policy deleted while it was away
 * leaves the agent. The NodeActor entity forwards to the current incarnation, so a test can stop it
 * and start the next one; agents are probes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeNetpolRebuildTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String NODE = "nr-n1";
  OneMemberCluster cluster;
  final FakeNetpolCache cache = new FakeNetpolCache();
  final AtomicReference<ActorRef<NodeActor.Command>> current = new AtomicReference<>();

  /**
   * While set, fragments on their way to the node are lost (as with a member that crashed); they
   * are lost too while no incarnation runs. Either way their policy is recorded in {@link #lost}.
   */
  volatile boolean loseFragments;

  final List<String> lost = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The kinds of the repairs the nodes' resync counted. */
  final List<String> repaired = new java.util.concurrent.CopyOnWriteArrayList<>();

  final io.netsvc.actors.ResyncRepairs repairs = repaired::add;
  NodeParts parts;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NodeNetpolRebuildTest", true);
    ClusterSharding sharding = cluster.sharding();
    NetpolDeps deps =
        new NetpolDeps(
            sharding, new RecordedEvents(), nanos -> {}, cache, () -> {}, Duration.ofHours(1));
    sharding.init(
        Entity.of(
            NetworkPolicyActor.TYPE_KEY, c -> NetworkPolicyActor.create(c.getEntityId(), deps)));
    sharding.init(
        Entity.of(
            NamespaceActor.TYPE_KEY, c -> NamespaceActor.create(c.getEntityId(), sharding, cache)));
    sharding.init(
        Entity.of(
            NodeActor.TYPE_KEY,
            c ->
                Behaviors.receive(NodeActor.Command.class)
                    .onAnyMessage(
                        m -> {
                          ActorRef<NodeActor.Command> to = current.get();
                          if ((loseFragments || to == null)
                              && m instanceof NodeActor.PolicyFragment f) {
                            lost.add(f.policyKey());
                            return Behaviors.same();
                          }
                          if (to != null) to.tell(m); // while it is down, messages are lost
                          return Behaviors.same();
                        })
                    .build()));
    parts =
        new NodeParts(
            NodePorts.factory(sharding, new io.netsvc.actors.testing.FakeServiceLbCache()),
            CloudNodeKeeper.factory(null, false),
            NodeNetpol.factory(sharding, cache, Duration.ofHours(1), repairs),
            Duration.ofSeconds(1),
            NodeParts.Agents.UNCHECKED);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private void incarnation() {
    ActorRef<NodeActor.Command> old = current.getAndSet(null);
    if (old != null) cluster.kit().stop(old, WAIT);
    current.set(cluster.kit().spawn(NodeActor.create(NODE, parts)));
  }

  private static NetpolPod pod(String name, String app, String ip) {
    return new NetpolPod("nr", name, NODE, Map.of("app", app), ip, null, List.of(), false, false);
  }

  /** Registers {@code agent}; returns the snapshot it gets, up to and including its end. */
  private List<AgentProtocol.Command> register(TestProbe<AgentProtocol.Command> agent) {
    current
        .get()
        .tell(
            new NodeActor.RegisterAgent(
                io.netsvc.actors.testing.UnbatchingAgent.of(cluster.kit(), agent),
                new AgentIdentity(List.of("10.0.0.9"), List.of(), List.of(), List.of(), NODE)));
    List<AgentProtocol.Command> got = new ArrayList<>();
    AgentProtocol.Command m;
    do {
      m = agent.receiveMessage(WAIT);
      got.add(m);
    } while (!(m instanceof AgentProtocol.SnapshotDone));
    return got;
  }

  /** A fresh NodeActor with pod nr/web-1 and policy {@code p}; the snapshot {@code agent} got. */
  private List<AgentProtocol.Command> nodeWithWebPodAnd(
      NetworkPolicyInfo p, TestProbe<AgentProtocol.Command> agent) {
    cache.with(new NamespaceInfo("nr", Map.of())).with(pod("web-1", "web", "10.42.1.10")).with(p);
    incarnation();
    return register(agent);
  }

  private static NetworkPolicyInfo webPolicy() {
    return ingress("nr", "deny-web", labels("app", "web"));
  }

  private static boolean holds(List<AgentProtocol.Command> snapshot, String policyKey) {
    return snapshot.stream()
        .anyMatch(
            m ->
                m instanceof AgentProtocol.Fragment f
                    && f.policyKey().equals(policyKey)
                    && f.policy() != null
                    && f.policy().targets().contains("nr/web-1"));
  }

  @Test
  void aRebuiltNodeActorGetsItsFragmentsBackBeforeItsAgentsSnapshotIsComplete() {
    NetpolPod web = pod("web-1", "web", "10.42.1.10");
    cache
        .with(new NamespaceInfo("nr", Map.of()))
        .with(web)
        .with(pod("db-1", "db", "10.42.1.11"))
        .with(webPolicy())
        .with(ingress("nr", "deny-other", labels("app", "other")));
    incarnation();
    List<AgentProtocol.Command> first = register(cluster.kit().createTestProbe());
    assertThat(first.get(0)).isEqualTo(new AgentProtocol.Registered(NODE, 1, true));
    assertThat(holds(first, "nr/deny-web")).isTrue();

    // the member hosting it crashed: its successor knows nothing until the policies answer, and a
    // fresh agent (the node's agent restarted too) takes its first snapshot as the whole truth
    incarnation();
    List<AgentProtocol.Command> rebuilt = register(cluster.kit().createTestProbe());
    assertThat(holds(rebuilt, "nr/deny-web")).as("snapshot %s", rebuilt).isTrue();
    assertThat(rebuilt).contains(new AgentProtocol.LocalPod("nr/web-1", web));
    // a policy that selects nothing here answers with a removal, never a fragment
    assertThat(rebuilt)
        .noneMatch(
            m ->
                m instanceof AgentProtocol.Fragment f
                    && f.policyKey().equals("nr/deny-other")
                    && f.policy() != null);
  }

  @Test
  void aPolicyDeletedWhileTheNodeActorWasDownLeavesTheAgentThatStillHoldsIt() {
    NetworkPolicyInfo p = ingress("nr", "deny-gone", labels("app", "web"));
    TestProbe<AgentProtocol.Command> agent = cluster.kit().createTestProbe();
    List<AgentProtocol.Command> snapshot = nodeWithWebPodAnd(p, agent);
    long g =
        snapshot.stream()
            .filter(m -> m instanceof AgentProtocol.Fragment f && f.policyKey().equals(p.key()))
            .map(m -> ((AgentProtocol.Fragment) m).generation())
            .findFirst()
            .orElseThrow();

    // the NodeActor is down when the policy is deleted: the removal is lost
    current.getAndUpdate(
        old -> {
          cluster.kit().stop(old, WAIT);
          return null;
        });
    cache.policies.remove(p.key());
    cluster
        .sharding()
        .entityRefFor(NetworkPolicyActor.TYPE_KEY, p.key())
        .tell(new NetworkPolicyActor.PolicyDeleted());
    // (the removal must be lost before the successor starts, or the successor holds it)
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> lost.contains(p.key()));

    // its successor: the agent (still running, so it merges and removes nothing) re-registers and
    // reports what it holds; the deleted policy is asked for, and answers with its removal
    incarnation();
    register(agent);
    current
        .get()
        .tell(
            new NodeActor.NetpolApplied(
                new AppliedRuleset(5, Map.of(p.key(), g), "", 0, 0, 0, 0, null)));
    // the first incarnation may still have a copy of the fragment on its way (its own compile
    // and its answer to the rebuilt node's Resend): skip to the removal
    awaitRemoval(agent, p.key());
  }

  @Test
  void aRemovalLostOnItsWayToALivingNodeIsRepairedByARecheck() {
    NetworkPolicyInfo p = ingress("nr", "deny-lost", labels("app", "web"));
    TestProbe<AgentProtocol.Command> agent = cluster.kit().createTestProbe();
    List<AgentProtocol.Command> snapshot = nodeWithWebPodAnd(p, agent);
    assertThat(holds(snapshot, p.key())).as("snapshot %s", snapshot).isTrue();

    // the policy is deleted; its removal goes with a crashed member and never reaches the node
    loseFragments = true;
    try {
      cache.policies.remove(p.key());
      cluster
          .sharding()
          .entityRefFor(NetworkPolicyActor.TYPE_KEY, p.key())
          .tell(new NetworkPolicyActor.PolicyDeleted());
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> lost.contains(p.key()));
    } finally {
      loseFragments = false;
    }

    // the member's removal makes every node recheck what it holds: the policy answers with the
    // removal, and the agent drops it
    current.get().tell(new NodeActor.RecheckPolicies());
    awaitRemoval(agent, p.key());
  }

  @Test
  void aFragmentItsAgentNeverAppliedGoesToItAgainWhenItStillLacksItAtTheNextRecheck() {
    NetworkPolicyInfo p = ingress("nr", "deny-unapplied", labels("app", "web"));
    TestProbe<AgentProtocol.Command> agent = cluster.kit().createTestProbe();
    List<AgentProtocol.Command> snapshot = nodeWithWebPodAnd(p, agent);
    Map<String, Long> held = new java.util.TreeMap<>();
    snapshot.forEach(
        m -> {
          if (m instanceof AgentProtocol.Fragment f && f.policy() != null) {
            held.put(f.policyKey(), f.generation());
          }
        });
    long g = held.get(p.key());

    // the agent reports an older generation of the policy: the current one never reached it (a
    // full send queue between their processes dropped it)
    held.put(p.key(), g - 1);
    current
        .get()
        .tell(new NodeActor.NetpolApplied(new AppliedRuleset(7, held, "", 0, 0, 0, 0, null)));
    // the first recheck may have crossed an apply; the second sends the fragment again
    current.get().tell(new NodeActor.RecheckPolicies());
    current.get().tell(new NodeActor.RecheckPolicies());
    agent.fishForMessage(
        WAIT,
        m ->
            m instanceof AgentProtocol.Fragment f
                    && f.policyKey().equals(p.key())
                    && f.generation() == g
                    && f.policy() != null
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> repaired.contains("agent"));
  }

  /** Waits until {@code agent} is told to remove {@code policyKey}, skipping what comes before. */
  private static void awaitRemoval(TestProbe<AgentProtocol.Command> agent, String policyKey) {
    agent.fishForMessage(
        WAIT,
        m ->
            m instanceof AgentProtocol.Fragment f
                    && f.policyKey().equals(policyKey)
                    && f.policy() == null
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }
}
