package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.nodeagent.NodeAgent;
import io.netsvc.nodeagent.netpol.NetpolMetrics;
import io.netsvc.nodeagent.netpol.NetpolSetup;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/**
 * A NetworkPolicy fragment larger than Artery's ordinary frame crosses members: two members in
 * separate actor systems joined over Artery with netsvc's member configuration, the node's entity
 * on the controller member and its agent (the real NodeAgent over the in-memory kernel) on the
 * other. An allow-same-namespace policy in a namespace of 10,000 pods is a ~0.5 MB fragment;
 * without the large-message lane Artery drops it ("exceeds maximum frame size") and the agent never
 * applies it.
 */
class LargeMessagesAcrossMembersIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PODS = 10_000;

  private static Config member(String role) {
    return ConfigFactory.parseString(
            """
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.roles = [%s]
            pekko.management.http.port = 0
            pekko.coordinated-shutdown.run-by-actor-system-terminate = off
            """
                .formatted(role))
        .withFallback(ConfigFactory.load());
  }

  @Test
  void aFragmentOfTenThousandPodsReachesTheAgentOnAnotherMemberAndIsApplied() {
    ActorTestKit controller = ActorTestKit.create("netsvc", member("controller"));
    ActorTestKit agents = ActorTestKit.create("netsvc", member("node"));
    try {
      Cluster a = Cluster.get(controller.system());
      a.manager().tell(Join.create(a.selfMember().address()));
      Cluster b = Cluster.get(agents.system());
      b.manager().tell(Join.create(a.selfMember().address()));

      CompiledPolicy policy = sameNamespace();
      TestProbe<NodeActor.NetpolApplied> applied = controller.createTestProbe();
      // the node's entity plays the NodeActor: a new agent gets a snapshot holding the policy
      ClusterSharding.get(controller.system())
          .init(
              Entity.of(NodeActor.TYPE_KEY, c -> nodeActor(policy, applied.getRef()))
                  .withRole("controller"));
      ClusterSharding sharding = ClusterSharding.get(agents.system());
      sharding.init(
          Entity.of(NodeActor.TYPE_KEY, c -> Behaviors.<NodeActor.Command>empty())
              .withRole("controller"));
      agents
          .system()
          .systemActorOf(
              NodeAgent.create(
                  "n0",
                  new AgentIdentity(List.of("10.0.0.1"), List.of(), List.of(), List.of(), "n0"),
                  sharding,
                  Duration.ofSeconds(1),
                  new NetpolSetup(
                      new RenderingDataplane(new InMemoryBackend(), Set.of(IpFamily.IPV4)),
                      List.of("10.42.0.0/16"),
                      Runnable::run,
                      Duration.ofHours(1),
                      NetpolMetrics.NONE)),
              "agent-n0",
              Props.empty());

      NodeActor.NetpolApplied got =
          (NodeActor.NetpolApplied)
              applied
                  .fishForMessage(
                      WAIT,
                      m ->
                          m.report().policies().containsKey(policy.key())
                              ? FishingOutcomes.complete()
                              : FishingOutcomes.continueAndIgnore())
                  .get(0);
      assertThat(got.report().policies()).containsEntry(policy.key(), 1L);
      assertThat(got.report().error()).isNull();
    } finally {
      agents.shutdownTestKit();
      controller.shutdownTestKit();
    }
  }

  private static Behavior<NodeActor.Command> nodeActor(
      CompiledPolicy policy, ActorRef<NodeActor.NetpolApplied> applied) {
    List<ActorRef<AgentProtocol.Command>> known = new ArrayList<>();
    return Behaviors.receive(NodeActor.Command.class)
        .onMessage(
            NodeActor.RegisterAgent.class,
            r -> {
              if (!known.contains(r.agent())) {
                known.add(r.agent());
                r.agent().tell(new AgentProtocol.Registered("n0", 1, true));
                r.agent().tell(new AgentProtocol.Fragment(policy.key(), 1, policy));
                r.agent().tell(new AgentProtocol.SnapshotDone(1));
              }
              return Behaviors.same();
            })
        .onMessage(
            NodeActor.NetpolApplied.class,
            m -> {
              applied.tell(m);
              return Behaviors.same();
            })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  /** Every pod of namespace "big" (10,000 over 100 nodes) admits every other. */
  private static CompiledPolicy sameNamespace() {
    List<NetpolPod> pods = new ArrayList<>(PODS);
    for (int i = 0; i < PODS; i++) {
      pods.add(
          new NetpolPod(
              "big",
              "pod-" + i,
              "n" + (i % 100),
              Map.of("app", "web"),
              "10.42." + (i / 250) + "." + (i % 250 + 2),
              null,
              List.of(),
              false,
              false));
    }
    NetworkPolicyInfo info =
        new NetworkPolicyInfo(
            "big",
            "same-namespace",
            "uid-same",
            Map.of(),
            new SelectorInfo(Map.of(), List.of()),
            List.of("Ingress"),
            List.of(
                new NetworkPolicyInfo.Rule(
                    List.of(
                        new NetworkPolicyInfo.Peer(
                            new SelectorInfo(Map.of(), List.of()), null, null)),
                    List.of())),
            null);
    return PolicyCompiler.compile(info, List.of(new NamespaceInfo("big", Map.of())), pods);
  }
}
