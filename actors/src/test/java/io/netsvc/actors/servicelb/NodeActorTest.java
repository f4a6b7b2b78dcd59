package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

/**
 * NodeActor with the real sharding in a one-member cluster; decisions reach "ServiceActors" that
 * are forwarders to a probe, and every message goes through Jackson CBOR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeActorTest {
  ActorTestKit kit;
  ClusterSharding sharding;
  TestProbe<ServiceActor.Command> services;

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
    ActorRef<ServiceActor.Command> probe = services.getRef();
    sharding.init(
        Entity.of(
            ServiceActor.TYPE_KEY,
            ctx ->
                Behaviors.receive(ServiceActor.Command.class)
                    .onAnyMessage(
                        m -> {
                          probe.tell(m);
                          return Behaviors.same();
                        })
                    .build()));
    sharding.init(
        Entity.of(
            NodeActor.TYPE_KEY,
            ctx ->
                NodeActor.create(
                    ctx.getEntityId(),
                    sharding,
                    new NodeActor.Deps(null, false, Duration.ofSeconds(1)))));
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  private void tell(String node, NodeActor.Command m) {
    sharding.entityRefFor(NodeActor.TYPE_KEY, node).tell(m);
  }

  private ServiceActor.PortDecision decision() {
    return services.expectMessageClass(ServiceActor.PortDecision.class, Duration.ofSeconds(10));
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

    TestProbe<NodeActor.Ledger> ledger = kit.createTestProbe();
    tell("n1", new NodeActor.GetLedger(ledger.getRef()));
    NodeActor.Ledger l = ledger.receiveMessage();
    assertThat(l.held()).containsExactly(new NodeActor.Held("80/TCP", "Service", "default/a"));
    assertThat(l.waiting()).extracting(NodeActor.Waiting::service).containsExactly("default/b");

    tell("n1", new NodeActor.ReleasePorts("default/a"));
    assertThat(decision()).isEqualTo(new ServiceActor.PortDecision("n1", true, List.of()));
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
}
