package io.netsvc.actors.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.config.AgentCheck;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An agent may speak only for its own node: two members on 127.0.0.1, the controller with the node
 * entities (--agent-check node-address) and an agent member whose probes register. A node whose
 * Kubernetes addresses include 127.0.0.1 is the agent member's own; one whose addresses do not is
 * another machine's, and a registration for it is a forgery. What each registration claims is
 * recorded where the cloud-controller stub would turn it into the node's address annotations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIdentityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofSeconds(2);
  ActorTestKit controller;
  ActorTestKit agents;
  ClusterSharding sharding;
  final Map<String, AgentIdentity> claimsUsed = new ConcurrentHashMap<>();
  final java.util.Set<TestProbe<?>> localProbes = ConcurrentHashMap.newKeySet();

  @BeforeAll
  void start() {
    controller = ActorTestKit.create("AgentIdentityTest", config("controller"));
    agents = ActorTestKit.create("AgentIdentityTest", config("node"));
    Cluster c = Cluster.get(controller.system());
    c.manager().tell(Join.create(c.selfMember().address()));
    Cluster a = Cluster.get(agents.system());
    a.manager().tell(Join.create(c.selfMember().address()));
    Awaitility.await("the agent member Up")
        .atMost(WAIT)
        .until(() -> a.selfMember().status() == MemberStatus.up());
    sharding = ClusterSharding.get(controller.system());
    sharding.init(
        Entity.of(ServiceActor.TYPE_KEY, ctx -> Behaviors.ignore()).withRole("controller"));
    sharding.init(
        Entity.of(NetworkPolicyActor.TYPE_KEY, ctx -> Behaviors.ignore()).withRole("controller"));
    NodeInfo cached = node("n-cached", "127.0.0.1");
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(sharding, new FakeServiceLbCache()),
            (node, log, writes) -> new RecordingCloud(node, claimsUsed),
            NodeNetpol.factory(sharding),
            Duration.ofSeconds(1),
            new NodeParts.Agents(
                AgentCheck.NODE_ADDRESS,
                name -> name.equals(cached.name()) ? Optional.of(cached) : Optional.empty()));
    sharding.init(
        Entity.of(NodeActor.TYPE_KEY, ctx -> NodeActor.create(ctx.getEntityId(), parts))
            .withRole("controller"));
  }

  private static Config config(String role) {
    return ConfigFactory.parseString(
        """
        pekko.cluster.roles = [%s]
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.actor.serialize-messages = on
        pekko.actor.serialization-bindings { "io.netsvc.k8s.records.CborSerializable" = jackson-cbor }
        pekko.cluster.sharding.passivation.strategy = none
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.coordinated-shutdown.run-by-actor-system-terminate = off
        pekko.actor.testkit.typed.filter-leeway = 10s
        """
            .formatted(role));
  }

  @AfterAll
  void stop() {
    agents.shutdownTestKit();
    controller.shutdownTestKit();
  }

  @Test
  void theAgentOnItsNodeIsBelievedAndOneClaimingAnotherNodeIsRefused() {
    observe(node("n-here", "10.0.0.1", "127.0.0.1"));
    observe(node("n-elsewhere", "10.0.0.2"));
    TestProbe<AgentProtocol.Command> genuine = agents.createTestProbe();
    TestProbe<AgentProtocol.Command> impostor = agents.createTestProbe();

    register("n-here", genuine, "10.0.0.1");
    LoggingTestKit.warn("refused a registration as the agent of node n-elsewhere")
        .withMessageContains("is not one of the node's addresses [10.0.0.2]")
        .expect(
            controller.system(),
            () -> {
              register("n-elsewhere", impostor, "203.0.113.66");
              return null;
            });

    assertThat(genuine.receiveMessage(WAIT))
        .isEqualTo(new AgentProtocol.Registered("n-here", 1, true));
    impostor.expectNoMessage(QUIET);
    assertThat(claimsUsed).containsKey("n-here").doesNotContainKey("n-elsewhere");
    assertThat(ledger("n-elsewhere").agentConnected()).isFalse();
    assertThat(ledger("n-here").agentConnected()).isTrue();
  }

  @Test
  void anImpostorCannotDisplaceTheGenuineAgent() {
    observe(node("n-taken", "10.0.0.3", "127.0.0.1"));
    TestProbe<AgentProtocol.Command> genuine = agents.createTestProbe();
    register("n-taken", genuine, "10.0.0.3");
    genuine.expectMessageClass(AgentProtocol.Registered.class, WAIT);
    observe(node("n-taken", "10.0.0.3")); // the Node no longer lists the agent member's address

    TestProbe<AgentProtocol.Command> impostor = agents.createTestProbe();
    register("n-taken", impostor, "203.0.113.66");

    impostor.expectNoMessage(QUIET);
    assertThat(claimsUsed.get("n-taken").nodeIPs()).containsExactly("10.0.0.3");
  }

  @Test
  void anAgentInsideTheControllersMemberIsRefused() {
    observe(node("n-local", "127.0.0.1"));
    TestProbe<AgentProtocol.Command> local = controller.createTestProbe();
    localProbes.add(local);

    LoggingTestKit.warn("refused a registration as the agent of node n-local")
        .withMessageContains("in the controller's own member")
        .expect(
            controller.system(),
            () -> {
              register("n-local", local, "10.0.0.4");
              return null;
            });

    local.expectNoMessage(QUIET);
    assertThat(claimsUsed).doesNotContainKey("n-local");
  }

  @Test
  void aRegistrationWaitsUntilTheNodeIsKnown() {
    TestProbe<AgentProtocol.Command> agent = agents.createTestProbe();
    register("n-later", agent, "10.0.0.5");
    agent.expectNoMessage(QUIET);

    observe(node("n-later", "127.0.0.1"));
    register("n-later", agent, "10.0.0.5"); // the agent's next periodic registration

    assertThat(agent.receiveMessage(WAIT))
        .isEqualTo(new AgentProtocol.Registered("n-later", 1, true));
  }

  @Test
  void aNodeActorThatMissedTheNodeReadsItFromTheCache() {
    TestProbe<AgentProtocol.Command> agent = agents.createTestProbe();

    register("n-cached", agent, "10.0.0.6");

    assertThat(agent.receiveMessage(WAIT))
        .isEqualTo(new AgentProtocol.Registered("n-cached", 1, true));
  }

  private void observe(NodeInfo n) {
    sharding.entityRefFor(NodeActor.TYPE_KEY, n.name()).tell(new NodeActor.NodeObserved(n));
  }

  /** As the agent member's NodeAgent does: its own reference, and the addresses it claims. */
  private void register(String node, TestProbe<AgentProtocol.Command> agent, String claimedIp) {
    sharding
        .entityRefFor(NodeActor.TYPE_KEY, node)
        .tell(
            new NodeActor.RegisterAgent(
                asSeenByTheController(agent),
                new AgentIdentity(List.of(claimedIp), List.of(), List.of(), List.of(), node)));
  }

  /** The probe's reference as it arrives at the controller: remote unless the probe is its own. */
  private ActorRef<AgentProtocol.Command> asSeenByTheController(
      TestProbe<AgentProtocol.Command> probe) {
    ActorTestKit owner = localProbes.contains(probe) ? controller : agents;
    return ActorRefResolver.get(controller.system())
        .resolveActorRef(
            ActorRefResolver.get(owner.system()).toSerializationFormat(probe.getRef()));
  }

  private NodeActor.Ledger ledger(String node) {
    TestProbe<NodeActor.Ledger> probe = controller.createTestProbe();
    sharding.entityRefFor(NodeActor.TYPE_KEY, node).tell(new NodeActor.GetLedger(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static NodeInfo node(String name, String... ips) {
    List<NodeAddress> addresses =
        java.util.Arrays.stream(ips).map(ip -> new NodeAddress("InternalIP", ip)).toList();
    return new NodeInfo(name, Map.of(), Map.of(), addresses, List.of(), "");
  }

  /** The cloud-controller stub's part, reduced to what it was told the agent claims. */
  private record RecordingCloud(String node, Map<String, AgentIdentity> used)
      implements NodeParts.Cloud {
    @Override
    public void observed(NodeInfo n) {}

    @Override
    public void agent(AgentIdentity identity) {
      used.put(node, identity);
    }

    @Override
    public void written(String error, boolean removedTaint) {}

    @Override
    public void retry() {}

    @Override
    public String status() {
      return "recording";
    }
  }
}
