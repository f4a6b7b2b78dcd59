package io.netsvc.actors.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.Samples;
import io.netsvc.actors.testing.UnbatchingAgent;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NodeActor with its real parts and the real sharding in a one-member cluster; decisions reach
 * "ServiceActors" and "NetworkPolicyActors" that are forwarders to probes, the agent is a probe,
 * and every message goes through Jackson CBOR. Each test uses its own node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeActorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  ActorTestKit kit;
  ClusterSharding sharding;
  TestProbe<ServiceActor.Command> services;
  TestProbe<String> policies;

  @BeforeAll
  void start() {
    kit =
        ActorTestKit.create(
            "NodeActorTest",
            ConfigFactory.parseString(
                """
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.port = 0
        pekko.actor.serialize-messages = on
        pekko.actor.serialization-bindings { "io.netsvc.k8s.records.CborSerializable" = jackson-cbor }
        pekko.cluster.sharding.passivation.strategy = none
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        """));
    Cluster c = Cluster.get(kit.system());
    c.manager().tell(Join.create(c.selfMember().address()));
    sharding = ClusterSharding.get(kit.system());
    services = kit.createTestProbe();
    ActorRef<ServiceActor.Command> serviceProbe = services.getRef();
    sharding.init(
        Entity.of(
            ServiceActor.TYPE_KEY,
            ctx ->
                Behaviors.receive(ServiceActor.Command.class)
                    .onAnyMessage(
                        m -> {
                          serviceProbe.tell(m);
                          return Behaviors.same();
                        })
                    .build()));
    policies = kit.createTestProbe();
    ActorRef<String> policyProbe = policies.getRef();
    sharding.init(
        Entity.of(
            NetworkPolicyActor.TYPE_KEY,
            ctx ->
                Behaviors.receive(NetworkPolicyActor.Command.class)
                    .onAnyMessage(
                        m -> {
                          policyProbe.tell(ctx.getEntityId() + " " + m);
                          return Behaviors.same();
                        })
                    .build()));
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(sharding, new FakeServiceLbCache()),
            CloudNodeKeeper.factory(null, false),
            NodeNetpol.factory(sharding),
            Duration.ofSeconds(1),
            NodeParts.Agents.UNCHECKED);
    sharding.init(Entity.of(NodeActor.TYPE_KEY, ctx -> NodeActor.create(ctx.getEntityId(), parts)));
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  private void tell(String node, NodeActor.Command m) {
    sharding.entityRefFor(NodeActor.TYPE_KEY, node).tell(m);
  }

  private ServiceActor.PortDecision decision() {
    return services.expectMessageClass(ServiceActor.PortDecision.class, WAIT);
  }

  private NodeActor.Ledger ledger(String node) {
    TestProbe<NodeActor.Ledger> probe = kit.createTestProbe();
    tell(node, new NodeActor.GetLedger(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private NodeActor.NetpolState netpol(String node) {
    TestProbe<NodeActor.NetpolState> probe = kit.createTestProbe();
    tell(node, new NodeActor.GetNetpol(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static AgentIdentity identity(String node) {
    return new AgentIdentity(List.of("10.0.0.9"), List.of(), List.of(), List.of(), node);
  }

  private static NetpolPod pod(String name, String node, String ip) {
    return new NetpolPod("ns", name, node, Map.of("app", name), ip, null, List.of(), false, false);
  }

  private static CompiledPolicy policy(String name, String node, String target) {
    return new CompiledPolicy(
        "ns",
        name,
        Set.of(Direction.INGRESS),
        List.of(target),
        Map.of(node, List.of(target)),
        null,
        List.of(),
        List.of(),
        List.of());
  }

  @Test
  void firstComeFirstServedThenReofferedWhenTheHolderLeaves() {
    Set<PortKey> http = Set.of(new PortKey(80, "TCP"));
    tell("n1", new NodeActor.ClaimPorts("default/a", "2026-01-01T00:00:00Z", http));
    assertThat(decision()).isEqualTo(new ServiceActor.PortDecision("n1", true, List.of()));
    tell("n1", new NodeActor.ClaimPorts("default/b", "2026-01-01T00:00:01Z", http));
    assertThat(decision())
        .isEqualTo(
            new ServiceActor.PortDecision(
                "n1", false, List.of(new Conflict("n1", "80/TCP", "Service", "default/a"))));

    NodeActor.Ledger l = ledger("n1");
    assertThat(l.held()).containsExactly(new NodeActor.Held("80/TCP", "Service", "default/a"));
    assertThat(l.waiting())
        .containsExactly(
            new NodeActor.Waiting(
                "default/b", List.of(new Conflict("n1", "80/TCP", "Service", "default/a"))));

    tell("n1", new NodeActor.ReleasePorts("default/a"));
    assertThat(decision()).isEqualTo(new ServiceActor.PortDecision("n1", true, List.of()));
    assertThat(ledger("n1").held())
        .containsExactly(new NodeActor.Held("80/TCP", "Service", "default/b"));
  }

  @Test
  void aHostPortPodKeepsItsPortAndARepeatedClaimIsAnsweredAgain() {
    Set<PortKey> dns = Set.of(new PortKey(53, "UDP"));
    tell("n2", new NodeActor.PodPorts("kube-system/dns", dns));
    tell("n2", new NodeActor.ClaimPorts("default/c", "2020-01-01T00:00:00Z", dns));
    ServiceActor.PortDecision refused = decision();
    assertThat(refused.granted()).isFalse();
    assertThat(refused.conflicts())
        .containsExactly(new Conflict("n2", "53/UDP", "Pod", "kube-system/dns"));
    // a restarted ServiceActor re-claims and must hear its decision again
    tell("n2", new NodeActor.ClaimPorts("default/c", "2020-01-01T00:00:00Z", dns));
    assertThat(decision()).isEqualTo(refused);
    tell("n2", new NodeActor.PodPorts("kube-system/dns", Set.of()));
    assertThat(decision().granted()).isTrue();
  }

  private static NodeInfo node(String name, List<String> podCidrs) {
    return new NodeInfo(
        name,
        Map.of(),
        Map.of(),
        List.of(new NodeAddress("InternalIP", "10.0.0.9")),
        List.of(),
        null,
        podCidrs);
  }

  @Test
  void theAgentHearsTheNodesPodCidrsWhenTheyAppearAndEveryNewAgentGetsThemFirst() {
    TestProbe<AgentProtocol.Command> first = kit.createTestProbe();
    tell("n20", new NodeActor.NodeObserved(node("n20", List.of())));
    tell("n20", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, first), identity("n20")));
    // the Node has no pod CIDRs yet: none are sent
    assertThat(first.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n20", 1, true), new AgentProtocol.SnapshotDone(1));

    // the node IPAM controller assigned them later
    List<String> cidrs = List.of("10.42.3.0/24", "fd00:42:3::/64");
    tell("n20", new NodeActor.NodeObserved(node("n20", cidrs)));
    first.expectMessage(WAIT, new AgentProtocol.PodCidrs(cidrs));
    // an unrelated change of the Node sends nothing again
    tell("n20", new NodeActor.NodeObserved(node("n20", cidrs)));
    tell("n20", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, first), identity("n20")));
    first.expectMessage(WAIT, new AgentProtocol.Registered("n20", 1, false));

    TestProbe<AgentProtocol.Command> restarted = kit.createTestProbe();
    tell("n20", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, restarted), identity("n20")));
    assertThat(restarted.receiveSeveralMessages(3, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n20", 2, true),
            new AgentProtocol.PodCidrs(cidrs),
            new AgentProtocol.SnapshotDone(2));
  }

  @Test
  void aNewAgentGetsTheFullStateAndARepeatedRegistrationOnlyItsAcknowledgement() {
    TestProbe<AgentProtocol.Command> first = kit.createTestProbe();
    tell("n3", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, first), identity("n3")));
    // nothing is known yet: an empty snapshot, still ended by its marker
    assertThat(first.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n3", 1, true), new AgentProtocol.SnapshotDone(1));

    NetpolPod web = pod("web", "n3", "10.42.0.5");
    tell("n3", new NodeActor.LocalPod("ns/web", web));
    tell("n3", new NodeActor.PolicyFragment("ns/allow", 1, policy("allow", "n3", "ns/web")));
    tell("n3", new NodeActor.LocalPod("ns/db", pod("db", "n3", "10.42.0.6")));
    tell("n3", new NodeActor.LocalPod("ns/db", null));
    tell("n3", new NodeActor.PolicyFragment("ns/old", 1, policy("old", "n3", "ns/web")));
    tell("n3", new NodeActor.PolicyFragment("ns/old", 2, null));
    assertThat(first.receiveSeveralMessages(6, WAIT))
        .containsExactly(
            new AgentProtocol.LocalPod("ns/web", web),
            new AgentProtocol.Fragment("ns/allow", 1, policy("allow", "n3", "ns/web")),
            new AgentProtocol.LocalPod("ns/db", pod("db", "n3", "10.42.0.6")),
            new AgentProtocol.LocalPod("ns/db", null),
            new AgentProtocol.Fragment("ns/old", 1, policy("old", "n3", "ns/web")),
            new AgentProtocol.Fragment("ns/old", 2, null));

    // the same agent re-registering (its periodic tick) already has everything
    tell("n3", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, first), identity("n3")));
    NetpolPod api = pod("api", "n3", "10.42.0.7");
    tell("n3", new NodeActor.LocalPod("ns/api", api));
    assertThat(first.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n3", 1, false),
            new AgentProtocol.LocalPod("ns/api", api));

    // a restarted agent is a new actor: it starts empty and gets what is current, nothing removed
    TestProbe<AgentProtocol.Command> restarted = kit.createTestProbe();
    tell("n3", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, restarted), identity("n3")));
    NetpolPod end = pod("end", "n3", "10.42.0.8");
    tell("n3", new NodeActor.LocalPod("ns/end", end));
    assertThat(restarted.receiveSeveralMessages(6, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n3", 2, true),
            new AgentProtocol.LocalPod("ns/api", api),
            new AgentProtocol.LocalPod("ns/web", web),
            new AgentProtocol.Fragment("ns/allow", 1, policy("allow", "n3", "ns/web")),
            new AgentProtocol.SnapshotDone(2),
            new AgentProtocol.LocalPod("ns/end", end));

    NodeActor.NetpolState state = netpol("n3");
    assertThat(state.agentConnected()).isTrue();
    assertThat(state.policies()).isEqualTo(1);
    assertThat(state.localPods()).isEqualTo(3);
    assertThat(state.applied()).isNull();
  }

  @Test
  void aRegisteringAgentGetsRegisteredThenEveryFragmentAndPodThenTheEndOfTheSnapshot() {
    NetpolPod web = pod("web", "n6", "10.42.0.5");
    NetpolPod db = pod("db", "n6", "10.42.0.6");
    tell("n6", new NodeActor.PolicyFragment("ns/allow", 3, policy("allow", "n6", "ns/web")));
    tell("n6", new NodeActor.LocalPod("ns/web", web));
    tell("n6", new NodeActor.PolicyFragment("ns/deny", 1, policy("deny", "n6", "ns/db")));
    tell("n6", new NodeActor.LocalPod("ns/db", db));
    // a pod and a policy that are gone by the time the agent registers are not in its snapshot
    tell("n6", new NodeActor.LocalPod("ns/old", pod("old", "n6", "10.42.0.7")));
    tell("n6", new NodeActor.LocalPod("ns/old", null));
    tell("n6", new NodeActor.PolicyFragment("ns/gone", 1, policy("gone", "n6", "ns/db")));
    tell("n6", new NodeActor.PolicyFragment("ns/gone", 2, null));

    TestProbe<AgentProtocol.Command> agent = kit.createTestProbe();
    tell("n6", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, agent), identity("n6")));
    List<AgentProtocol.Command> got = agent.receiveSeveralMessages(6, WAIT);
    assertThat(got.get(0)).isEqualTo(new AgentProtocol.Registered("n6", 1, true));
    assertThat(got.subList(1, 5))
        .containsExactlyInAnyOrder(
            new AgentProtocol.LocalPod("ns/web", web),
            new AgentProtocol.LocalPod("ns/db", db),
            new AgentProtocol.Fragment("ns/allow", 3, policy("allow", "n6", "ns/web")),
            new AgentProtocol.Fragment("ns/deny", 1, policy("deny", "n6", "ns/db")));
    assertThat(got.get(5)).isEqualTo(new AgentProtocol.SnapshotDone(1));

    // after the end marker, changes come one at a time and no second marker
    tell("n6", new NodeActor.LocalPod("ns/db", null));
    assertThat(agent.receiveMessage(WAIT)).isEqualTo(new AgentProtocol.LocalPod("ns/db", null));
    // the same agent registering again (its periodic tick) gets no snapshot: the next change is
    // the next message
    tell("n6", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, agent), identity("n6")));
    tell("n6", new NodeActor.LocalPod("ns/db", db));
    assertThat(agent.receiveSeveralMessages(2, WAIT))
        .containsExactly(
            new AgentProtocol.Registered("n6", 1, false), new AgentProtocol.LocalPod("ns/db", db));
  }

  @Test
  void aFragmentReachesTheAgentWithItsPolicysSendTimeAndASnapshotSendsItAgainUntimed() {
    TestProbe<AgentProtocol.Command> agent = kit.createTestProbe();
    tell("n7", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, agent), identity("n7")));
    agent.receiveSeveralMessages(2, WAIT); // Registered, SnapshotDone
    // messages are serialized here (serialize-messages): the stamp crosses the wire as it would
    // between members, and the agent times the send from it
    tell(
        "n7",
        new NodeActor.PolicyFragment("ns/allow", 1, policy("allow", "n7", "ns/web"), 1_234_567L));
    AgentProtocol.Fragment sent = (AgentProtocol.Fragment) agent.receiveMessage(WAIT);
    assertThat(sent.sentMicros()).isEqualTo(1_234_567L);

    // a new agent gets the fragment in its snapshot: sent again, not timed as a send
    TestProbe<AgentProtocol.Command> restarted = kit.createTestProbe();
    tell("n7", new NodeActor.RegisterAgent(UnbatchingAgent.of(kit, restarted), identity("n7")));
    List<AgentProtocol.Command> snapshot = restarted.receiveSeveralMessages(3, WAIT);
    assertThat(snapshot.get(1)).isEqualTo(sent);
    assertThat(((AgentProtocol.Fragment) snapshot.get(1)).sentMicros()).isZero();
  }

  Stream<Class<?>> agentMessages() {
    return Samples.leafRecords(AgentProtocol.Command.class).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("agentMessages")
  void everyAgentMessageSurvivesTheWire(Class<?> type) {
    // a reply-to must be a real actor's reference to cross the wire
    Object message = new Samples().with(ActorRef.class, kit.createTestProbe().getRef()).of(type);
    assertThat(message).isNotNull();
    kit.serializationTestKit().verifySerialization(message, true);
  }

  @Test
  void appliedReportsTellEachPolicyItsNewGenerationOnce() {
    tell("n4", new NodeActor.NetpolApplied(applied(1, Map.of("ns/a", 1L, "ns/b", 3L))));
    assertThat(policies.receiveSeveralMessages(2, WAIT))
        .containsExactlyInAnyOrder(
            "ns/a " + new NetworkPolicyActor.Realised("n4", 1),
            "ns/b " + new NetworkPolicyActor.Realised("n4", 3));

    tell("n4", new NodeActor.NetpolApplied(applied(2, Map.of("ns/a", 1L, "ns/b", 4L))));
    tell("n4", new NodeActor.NetpolApplied(applied(3, Map.of("ns/a", 2L))));
    // Each policy hears its own news in order: had ns/a been told generation 1 again, that would
    // come before its generation 2 and be one of these two.
    assertThat(policies.receiveSeveralMessages(2, WAIT))
        .containsExactlyInAnyOrder(
            "ns/b " + new NetworkPolicyActor.Realised("n4", 4),
            "ns/a " + new NetworkPolicyActor.Realised("n4", 2));
    // n4 has no agent to show the ruleset: the route says so instead
    assertThat(netpol("n4").applied())
        .isEqualTo(applied(3, Map.of("ns/a", 2L)).withRuleset("# n4: no agent registered\n"));
  }

  private static AppliedRuleset applied(long generation, Map<String, Long> policies) {
    return new AppliedRuleset(generation, policies, "", 3, 1, 2, 0, null);
  }

  /** An agent that shows {@code text} when asked (null: never answers). */
  private ActorRef<AgentProtocol.Command> showingAgent(String text) {
    return kit.spawn(
        Behaviors.receiveMessage(
            m -> {
              if (m instanceof AgentProtocol.ShowRuleset s && text != null) {
                s.replyTo().tell(new AgentProtocol.RulesetText(text));
              }
              return Behaviors.same();
            }));
  }

  @Test
  void theRouteAsksTheAgentForTheRulesetTextWhichReportsNoLongerCarry() {
    String text =
        "*filter\n:KUBE-ROUTER-FORWARD - [0:0]\n-A FORWARD -j KUBE-ROUTER-FORWARD\nCOMMIT\n";
    tell("n11", new NodeActor.RegisterAgent(showingAgent(text), identity("n11")));
    // nothing applied yet: nothing to show, and the agent is not asked
    assertThat(netpol("n11").applied()).isNull();

    tell("n11", new NodeActor.NetpolApplied(applied(1, Map.of())));
    NodeActor.NetpolState state = netpol("n11");
    assertThat(state.agentConnected()).isTrue();
    assertThat(state.applied()).isEqualTo(applied(1, Map.of()).withRuleset(text));

    // readers at the same time share one question to the agent, and each gets the answer
    TestProbe<NodeActor.NetpolState> one = kit.createTestProbe();
    TestProbe<NodeActor.NetpolState> two = kit.createTestProbe();
    tell("n11", new NodeActor.GetNetpol(one.getRef()));
    tell("n11", new NodeActor.GetNetpol(two.getRef()));
    assertThat(one.receiveMessage(WAIT).applied().ruleset()).isEqualTo(text);
    assertThat(two.receiveMessage(WAIT).applied().ruleset()).isEqualTo(text);
  }

  @Test
  void anAgentThatDoesNotAnswerIsSaidSoInsteadOfTheRuleset() {
    tell("n12", new NodeActor.RegisterAgent(showingAgent(null), identity("n12")));
    tell("n12", new NodeActor.NetpolApplied(applied(1, Map.of())));
    assertThat(netpol("n12").applied().ruleset())
        .isEqualTo("# the agent of n12 did not answer within 3 s\n");
  }

  @Test
  void theRouteShowsTheAgentsCurrentTextNotOneAReportCarried() {
    tell("n13", new NodeActor.RegisterAgent(showingAgent("shown now\n"), identity("n13")));
    tell(
        "n13",
        new NodeActor.NetpolApplied(
            new AppliedRuleset(1, Map.of(), "*filter\nCOMMIT\n", 3, 1, 2, 0, null)));
    assertThat(netpol("n13").applied().ruleset()).isEqualTo("shown now\n");
  }

  @Test
  void theLedgerShowsTheAgentUntilItStopsAndTheCloudStubsSwitch() {
    TestProbe<AgentProtocol.Command> agent = kit.createTestProbe();
    tell("n5", new NodeActor.RegisterAgent(agent.getRef(), identity("n5")));
    agent.expectMessage(WAIT, new AgentProtocol.Registered("n5", 1, true));
    NodeActor.Ledger l = ledger("n5");
    assertThat(l.agentConnected()).isTrue();
    assertThat(l.cloudNode()).isEqualTo("disabled (--disable-cloud-controller)");

    agent.stop();
    await().atMost(WAIT).until(() -> !ledger("n5").agentConnected());
    assertThat(netpol("n5").agentConnected()).isFalse();
  }
}
