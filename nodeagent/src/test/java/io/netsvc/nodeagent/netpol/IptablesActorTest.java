package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import io.netsvc.nodeagent.netpol.model.KubeRouterNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * IptablesActor with the real dataplane ({@link RenderingDataplane} over the {@link
 * InMemoryBackend} kernel) in a one-member cluster whose NodeActors are probes (one per node name,
 * so tests do not share reports). Applies run on a {@link ManualExecutor}, so the test decides when
 * an apply finishes and what arrives meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IptablesActorTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration NEVER = Duration.ofHours(1);
  ActorTestKit kit;
  ClusterSharding sharding;
  final Map<String, ActorRef<NodeActor.Command>> nodes = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    kit =
        ActorTestKit.create(
            "IptablesActorTest",
            ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.sharding.passivation.strategy = none
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                # a test's member just stops: no graceful hand-off of shards still being allocated
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                """));
    Cluster c = Cluster.get(kit.system());
    c.manager().tell(Join.create(c.selfMember().address()));
    sharding = ClusterSharding.get(kit.system());
    sharding.init(
        Entity.of(
            NodeActor.TYPE_KEY,
            ctx ->
                Behaviors.receiveMessage(
                    m -> {
                      ActorRef<NodeActor.Command> to = nodes.get(ctx.getEntityId());
                      if (to != null) to.tell(m);
                      return Behaviors.same();
                    })));
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  static NetpolPod pod(String app, String node, String ip) {
    return new NetpolPod("x", app, node, Map.of("app", app), ip, null, List.of(), false, false);
  }

  /** A node's agent under test: its IptablesActor, the in-memory kernel and what it reported. */
  final class Agent {
    final String node;
    final InMemoryBackend kernel = new InMemoryBackend();
    final FlakyDataplane dataplane =
        new FlakyDataplane(new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)));
    final CountingMetrics metrics = new CountingMetrics();
    final TestProbe<NodeActor.Command> reports = kit.createTestProbe();
    final ActorRef<IptablesActor.Command> actor;
    final NetpolPod web;
    final NetpolPod db;

    Agent(String node, Executor blocking, Duration verifyEvery) {
      this.node = node;
      web = pod("web", node, "10.42.0.10");
      db = pod("db", node, "10.42.0.11");
      nodes.put(node, reports.getRef());
      actor =
          kit.spawn(
              IptablesActor.create(
                  node,
                  List.of("10.42.0.0/24"),
                  dataplane,
                  blocking,
                  sharding,
                  verifyEvery,
                  metrics));
    }

    void fragment(String key, long generation, CompiledPolicy policy) {
      actor.tell(
          new IptablesActor.PolicyInput(new AgentProtocol.Fragment(key, generation, policy)));
    }

    void localPod(NetpolPod pod) {
      actor.tell(new IptablesActor.PodInput(new AgentProtocol.LocalPod(pod.key(), pod)));
    }

    AppliedRuleset report() {
      return reports.expectMessageClass(NodeActor.NetpolApplied.class, WAIT).report();
    }

    /** Whether the kernel sends db's incoming traffic through x/db-from-web's chain. */
    boolean enforced() throws BackendException {
      return kernel.saveFilterTable(IpFamily.IPV4).contains("\"x/db-from-web ingress policy\"");
    }

    /** "x/db-from-web": db accepts traffic from web only. */
    CompiledPolicy dbFromWeb() {
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
  }

  @Test
  void whatArrivesDuringAnApplyIsAppliedTogetherAndReported() throws Exception {
    ManualExecutor blocking = new ManualExecutor();
    Agent agent = new Agent("batch-n1", blocking, NEVER);
    Runnable baseChains = blocking.next(WAIT); // at start, before any policy
    agent.localPod(agent.web);
    agent.localPod(agent.db);
    agent.fragment("x/db-from-web", 7, agent.dbFromWeb());
    baseChains.run();
    AppliedRuleset first = agent.report();
    assertThat(first.error()).isNull();
    assertThat(first.policies()).isEmpty();
    assertThat(agent.enforced()).isFalse();

    blocking.next(WAIT).run();
    AppliedRuleset second = agent.report();
    assertThat(second.generation()).isEqualTo(first.generation() + 1);
    assertThat(second.policies()).isEqualTo(Map.of("x/db-from-web", 7L));
    assertThat(agent.dataplane.applied()).hasSize(2);
    assertThat(agent.dataplane.applied().get(1).localPods())
        .containsExactlyInAnyOrder(agent.web, agent.db);
    // the kernel now sends db's traffic through the policy
    assertThat(agent.enforced()).isTrue();
    assertThat(agent.metrics.applied).hasValue(2);

    // the policy's removal takes its rules out again, in the next generation
    agent.fragment("x/db-from-web", 8, null);
    blocking.next(WAIT).run();
    AppliedRuleset third = agent.report();
    assertThat(third.generation()).isEqualTo(second.generation() + 1);
    assertThat(third.policies()).isEmpty();
    assertThat(agent.enforced()).isFalse();
  }

  @Test
  void aFailedApplyIsReportedAndRetriedAfterAPauseWithWhatArrivedMeanwhile() {
    ManualExecutor blocking = new ManualExecutor();
    Agent agent = new Agent("fail-n1", blocking, NEVER);
    blocking.next(WAIT).run();
    long before = agent.report().generation();

    agent.dataplane.failing = true;
    agent.localPod(agent.db);
    agent.fragment("x/db-from-web", 3, agent.dbFromWeb());
    blocking.next(WAIT).run();
    AppliedRuleset failed = agent.report();
    assertThat(failed.generation()).isEqualTo(before + 1);
    assertThat(failed.error()).contains("kernel said no");
    assertThat(failed.policies()).as("nothing is realised by a failed apply").isEmpty();
    assertThat(agent.metrics.failed).hasValue(1);

    // no hammering a failing kernel: a change during the pause does not cut it short
    agent.localPod(agent.web);
    assertThat(blocking.poll(Duration.ofMillis(400))).isNull();
    agent.dataplane.failing = false;
    blocking.next(WAIT).run();
    AppliedRuleset retried = agent.report();
    assertThat(retried.error()).isNull();
    assertThat(retried.policies()).isEqualTo(Map.of("x/db-from-web", 3L));
    assertThat(agent.dataplane.applied().get(agent.dataplane.applied().size() - 1).localPods())
        .containsExactlyInAnyOrder(agent.web, agent.db);
  }

  @Test
  void rulesSomeoneFlushedAreFoundAndRestored() throws Exception {
    ExecutorService blocking = Executors.newSingleThreadExecutor();
    Agent agent = new Agent("drift-n1", blocking, Duration.ofMillis(100));
    try {
      agent.localPod(agent.web);
      agent.localPod(agent.db);
      agent.fragment("x/db-from-web", 1, agent.dbFromWeb());
      AppliedRuleset r = agent.report();
      while (!r.policies().equals(Map.of("x/db-from-web", 1L))) r = agent.report();
      String applied = agent.kernel.saveFilterTable(IpFamily.IPV4);
      String dbChain =
          applied
              .lines()
              .filter(l -> l.startsWith("-A " + KubeRouterNames.POD_CHAIN_PREFIX))
              .map(l -> l.substring(3, l.indexOf(' ', 3)))
              .findFirst()
              .orElseThrow();

      // someone flushes the db pod's firewall chain: the policy is no longer enforced
      agent.kernel.restore(IpFamily.IPV4, "*filter\n:" + dbChain + " - [0:0]\nCOMMIT\n");
      assertThat(agent.kernel.saveFilterTable(IpFamily.IPV4)).isNotEqualTo(applied);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(agent.kernel.saveFilterTable(IpFamily.IPV4)).isEqualTo(applied));
      await().atMost(WAIT).untilAsserted(() -> assertThat(agent.metrics.driftRepaired).hasValue(1));
    } finally {
      kit.stop(agent.actor);
      blocking.shutdownNow();
    }
  }
}
