package io.netsvc.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.nodeagent.netpol.NetpolMetrics;
import io.netsvc.nodeagent.netpol.NetpolSetup;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node agent in a one-member cluster whose NodeActors are stand-ins (probes, one per node name):
 * how it registers, and what becomes of the fragments and pods its NodeActor sends, with
 * NetworkPolicy enforcement on (the real IptablesActor and dataplane over the in-memory kernel) and
 * off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER = Duration.ofHours(1);
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    // the agent's IptablesActor child takes local messages (no serialization binding)
    cluster = OneMemberCluster.start("NodeAgentTest", false).withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private static AgentIdentity identity(String node) {
    return new AgentIdentity(
        List.of("10.0.0.9"), List.of("203.0.113.9"), List.of(), List.of(), "host-" + node);
  }

  private ActorRef<AgentProtocol.Command> agent(String node, Duration every, NetpolSetup netpol) {
    return cluster
        .kit()
        .spawn(NodeAgent.create(node, identity(node), cluster.sharding(), every, netpol));
  }

  private static NetpolPod pod(String app, String node, String ip) {
    return new NetpolPod("x", app, node, Map.of("app", app), ip, null, List.of(), false, false);
  }

  /** "x/db-from-web": db accepts traffic from web only. */
  private static CompiledPolicy dbFromWeb(NetpolPod web, NetpolPod db) {
    NetworkPolicyInfo p =
        new NetworkPolicyInfo(
            "x",
            "db-from-web",
            "uid-1",
            Map.of(),
            new SelectorInfo(Map.of("app", "db"), List.of()),
            List.of("Ingress"),
            List.of(
                new NetworkPolicyInfo.Rule(
                    List.of(
                        new NetworkPolicyInfo.Peer(
                            new SelectorInfo(Map.of("app", "web"), List.of()), null, null)),
                    List.of())),
            null);
    return PolicyCompiler.compile(p, List.of(new NamespaceInfo("x", Map.of())), List.of(web, db));
  }

  @Test
  void registersWithItsNodeActorAtStartAndAgainOnItsTimer() {
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "reg-n1");
    ActorRef<AgentProtocol.Command> agent = agent("reg-n1", Duration.ofMillis(100), null);
    // a rebuilt NodeActor learns of its agent from the next registration: the same session
    List<NodeActor.Command> got = node.receiveSeveralMessages(3, WAIT);
    NodeActor.RegisterAgent first = (NodeActor.RegisterAgent) got.get(0);
    assertThat(first.agent().path().parent()).isEqualTo(agent.path());
    assertThat(got).containsOnly(new NodeActor.RegisterAgent(first.agent(), identity("reg-n1")));
    cluster.kit().stop(agent, WAIT);
  }

  @Test
  void anAgentWhoseIptablesActorFailsStartsAgainAsANewAgentAndAppliesTheNextSnapshot() {
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "fail-n1");
    InMemoryBackend kernel = new InMemoryBackend();
    AtomicInteger applies = new AtomicInteger();
    NetpolMetrics throwsOnce =
        new NetpolMetrics() {
          @Override
          public void applied(String n, long millis, int bytes, int chains, int rules, int sets) {
            // a bug in the IptablesActor's own thread, after its first apply
            if (applies.incrementAndGet() == 1) throw new IllegalStateException("bug");
          }

          @Override
          public void failed(String n) {}

          @Override
          public void driftRepaired(String n) {}
        };
    NetpolSetup netpol =
        new NetpolSetup(
            new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)),
            List.of("10.42.0.0/24"),
            Runnable::run,
            NEVER,
            throwsOnce);
    ActorRef<AgentProtocol.Command> agent = agent("fail-n1", NEVER, netpol);
    NetpolPod web = pod("web", "fail-n1", "10.42.0.10");
    NetpolPod db = pod("db", "fail-n1", "10.42.0.11");
    ActorRef<AgentProtocol.Command> first =
        node.expectMessageClass(NodeActor.RegisterAgent.class, WAIT).agent();
    snapshot(first, 1, web, db);

    // the NodeActor sends a full snapshot only to an agent it does not know: a new one registers
    ActorRef<AgentProtocol.Command> second =
        node.expectMessageClass(NodeActor.RegisterAgent.class, WAIT).agent();
    assertThat(second).isNotEqualTo(first);
    snapshot(second, 2, web, db);
    node.fishForMessage(
        WAIT,
        m ->
            m instanceof NodeActor.NetpolApplied a
                    && a.report().policies().equals(Map.of("x/db-from-web", 7L))
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    assertThat(applies).hasValue(2);
    assertThat(filterTable(kernel)).contains("\"x/db-from-web ingress policy\"");
    cluster.kit().stop(agent, WAIT);
  }

  private void snapshot(
      ActorRef<AgentProtocol.Command> agent, long generation, NetpolPod web, NetpolPod db) {
    agent.tell(new AgentProtocol.Registered("fail-n1", generation, true));
    agent.tell(new AgentProtocol.LocalPod(web.key(), web));
    agent.tell(new AgentProtocol.LocalPod(db.key(), db));
    agent.tell(new AgentProtocol.Fragment("x/db-from-web", 7, dbFromWeb(web, db)));
    agent.tell(new AgentProtocol.SnapshotDone(generation));
  }

  @Test
  void withEnforcementOnItsNodesFragmentsAndPodsAreProgrammedIntoTheKernel() {
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "on-n1");
    InMemoryBackend kernel = new InMemoryBackend();
    NetpolSetup netpol =
        new NetpolSetup(
            new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)),
            List.of("10.42.0.0/24"),
            Runnable::run,
            NEVER,
            NetpolMetrics.NONE);
    ActorRef<AgentProtocol.Command> agent = agent("on-n1", NEVER, netpol);
    NetpolPod web = pod("web", "on-n1", "10.42.0.10");
    NetpolPod db = pod("db", "on-n1", "10.42.0.11");
    // the NodeActor's snapshot: the agent's first apply waits for its end; its pods and fragments
    // come in a batch, as a NodeActor's outbox sends a large snapshot
    agent.tell(new AgentProtocol.Registered("on-n1", 1, true));
    agent.tell(
        new AgentProtocol.Batch(
            List.of(
                AgentProtocol.Change.of(new AgentProtocol.LocalPod(web.key(), web)),
                AgentProtocol.Change.of(new AgentProtocol.LocalPod(db.key(), db)),
                AgentProtocol.Change.of(
                    new AgentProtocol.Fragment("x/db-from-web", 7, dbFromWeb(web, db))))));
    agent.tell(new AgentProtocol.SnapshotDone(1));

    // the iptables child reports to the NodeActor what it applied
    node.fishForMessage(
        WAIT,
        m ->
            m instanceof NodeActor.NetpolApplied a
                    && a.report().policies().equals(Map.of("x/db-from-web", 7L))
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    assertThat(filterTable(kernel)).contains("\"x/db-from-web ingress policy\"");
    // the route's question reaches the iptables child, which shows what it applied
    TestProbe<AgentProtocol.RulesetText> reader = cluster.kit().createTestProbe();
    agent.tell(new AgentProtocol.ShowRuleset(reader.getRef()));
    assertThat(reader.receiveMessage(WAIT).text())
        .contains("KUBE-ROUTER-FORWARD", "\"x/db-from-web ingress policy\"");

    agent.tell(new AgentProtocol.Fragment("x/db-from-web", 8, null));
    AppliedRuleset[] last = new AppliedRuleset[1];
    node.fishForMessage(
        WAIT,
        m -> {
          if (m instanceof NodeActor.NetpolApplied a && a.report().policies().isEmpty()) {
            last[0] = a.report();
            return FishingOutcomes.complete();
          }
          return FishingOutcomes.continueAndIgnore();
        });
    assertThat(last[0].error()).isNull();
    assertThat(filterTable(kernel)).doesNotContain("\"x/db-from-web ingress policy\"");
    cluster.kit().stop(agent, WAIT);
  }

  @Test
  void theAgentTimesEachFragmentFromItsPolicysSendAndNotTheOnesSentAgain() {
    cluster.probe(NodeActor.TYPE_KEY, "send-n1");
    List<Long> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
    NetpolMetrics timing =
        new NetpolMetrics() {
          @Override
          public void applied(String n, long millis, int bytes, int chains, int rules, int sets) {}

          @Override
          public void failed(String n) {}

          @Override
          public void driftRepaired(String n) {}

          @Override
          public void sent(String n, long micros) {
            sends.add(micros);
          }
        };
    NetpolSetup netpol =
        new NetpolSetup(
            new RenderingDataplane(new InMemoryBackend(), Set.of(IpFamily.IPV4)),
            List.of("10.42.0.0/24"),
            Runnable::run,
            NEVER,
            timing);
    ActorRef<AgentProtocol.Command> agent = agent("send-n1", NEVER, netpol);
    NetpolPod web = pod("web", "send-n1", "10.42.0.10");
    NetpolPod db = pod("db", "send-n1", "10.42.0.11");
    long aSecondAgo = io.netsvc.actors.node.SendClock.micros() - 1_000_000;
    AgentProtocol.Fragment fragment =
        new AgentProtocol.Fragment("x/db-from-web", 7, dbFromWeb(web, db));
    agent.tell(new AgentProtocol.Registered("send-n1", 1, true));
    agent.tell(fragment); // a snapshot's: not stamped
    agent.tell(new AgentProtocol.SnapshotDone(1));
    agent.tell(fragment.sentAt(aSecondAgo));
    agent.tell(
        new AgentProtocol.Batch(
            List.of(
                AgentProtocol.Change.of(
                    new AgentProtocol.Fragment("x/db-from-web", 8, null).sentAt(aSecondAgo)))));
    await().atMost(WAIT).until(() -> sends.size() >= 2);
    // a second and what the test took since; the unstamped one would count from the epoch
    assertThat(sends).allSatisfy(m -> assertThat(m).isBetween(1_000_000L, 60_000_000L));
    cluster.kit().stop(agent, WAIT);
  }

  @Test
  void theRejectOfUnprogrammedPodsFollowsThePodCidrsTheNodeActorSends() {
    cluster.probe(NodeActor.TYPE_KEY, "cidr-n1");
    InMemoryBackend kernel = new InMemoryBackend();
    // a real agent has no pod CIDRs of its own (no API access): only its NodeActor's
    NetpolSetup netpol =
        new NetpolSetup(
            new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)),
            List.of(),
            Runnable::run,
            NEVER,
            NetpolMetrics.NONE);
    ActorRef<AgentProtocol.Command> agent = agent("cidr-n1", NEVER, netpol);
    NetpolPod web = pod("web", "cidr-n1", "10.42.7.10");
    agent.tell(new AgentProtocol.Registered("cidr-n1", 1, true));
    agent.tell(new AgentProtocol.LocalPod(web.key(), web));
    agent.tell(new AgentProtocol.SnapshotDone(1));
    await().atMost(WAIT).until(() -> filterTable(kernel).contains("KUBE-NWPLCY-COMMON"), ok -> ok);
    assertThat(filterTable(kernel)).doesNotContain("reject unprogrammed");

    // the Node got its pod CIDRs after the agent registered
    agent.tell(new AgentProtocol.PodCidrs(List.of("10.42.7.0/24")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(filterTable(kernel))
                    .contains("-s 10.42.7.0/24")
                    .contains("-d 10.42.7.0/24")
                    .contains("reject unprogrammed local pod"));

    agent.tell(new AgentProtocol.PodCidrs(List.of("10.42.8.0/24")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(filterTable(kernel))
                    .contains("-s 10.42.8.0/24")
                    .doesNotContain("10.42.7.0/24"));
    cluster.kit().stop(agent, WAIT);
  }

  private static String filterTable(InMemoryBackend kernel) {
    try {
      return kernel.saveFilterTable(IpFamily.IPV4);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withEnforcementOffFragmentsAndPodsAreDroppedAndTheAgentCarriesOn() {
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "off-n1");
    ActorRef<AgentProtocol.Command> agent = agent("off-n1", NEVER, null);
    node.expectMessageClass(NodeActor.RegisterAgent.class, WAIT);
    NetpolPod web = pod("web", "off-n1", "10.42.0.10");
    // the agent handles its messages in order: it logs the acknowledgement only if it survived
    LoggingTestKit.info("node agent off-n1 registered (generation 42)")
        .expect(
            cluster.kit().system(),
            () -> {
              agent.tell(new AgentProtocol.LocalPod(web.key(), web));
              agent.tell(new AgentProtocol.Fragment("x/db-from-web", 1, dbFromWeb(web, web)));
              agent.tell(new AgentProtocol.Registered("off-n1", 42, false));
              return null;
            });
    TestProbe<AgentProtocol.RulesetText> reader = cluster.kit().createTestProbe();
    agent.tell(new AgentProtocol.ShowRuleset(reader.getRef()));
    assertThat(reader.receiveMessage(WAIT).text())
        .isEqualTo("# NetworkPolicies are not enforced on this node\n");
    cluster.kit().stop(agent, WAIT);
  }
}
