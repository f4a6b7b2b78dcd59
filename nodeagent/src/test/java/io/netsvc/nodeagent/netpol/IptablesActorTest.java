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

  /**
   * "x/{target}-from-{peer}": the pods labelled app={target} accept traffic from app={peer} only.
   */
  static CompiledPolicy allowFrom(String target, String peer, List<NetpolPod> pods) {
    NetworkPolicyInfo p =
        new NetworkPolicyInfo(
            "x",
            target + "-from-" + peer,
            "uid-" + target,
            Map.of(),
            new SelectorInfo(Map.of("app", target), List.of()),
            List.of("Ingress"),
            List.of(
                new NetworkPolicyInfo.Rule(
                    List.of(
                        new NetworkPolicyInfo.Peer(
                            new SelectorInfo(Map.of("app", peer), List.of()), null, null)),
                    List.of())),
            null);
    return PolicyCompiler.compile(p, List.of(new NamespaceInfo("x", Map.of())), pods);
  }

  /**
   * Whether {@code kernel} sends the selected pods' incoming traffic through the policy's chain.
   */
  static boolean enforces(InMemoryBackend kernel, String policyKey) {
    return kernel.saveFilterTable(IpFamily.IPV4).contains("\"" + policyKey + " ingress policy\"");
  }

  /** A node's agent under test: its IptablesActor, the in-memory kernel and what it reported. */
  final class Agent {
    final String node;
    final InMemoryBackend kernel;
    final FlakyDataplane dataplane;
    final CountingMetrics metrics = new CountingMetrics();
    final TestProbe<NodeActor.Command> reports = kit.createTestProbe();
    final ActorRef<IptablesActor.Command> actor;
    final NetpolPod web;
    final NetpolPod db;

    Agent(String node, Executor blocking, Duration verifyEvery) {
      this(node, new InMemoryBackend(), blocking, verifyEvery);
    }

    /** A fresh agent on a node whose kernel may hold rules already. */
    Agent(String node, InMemoryBackend kernel, Executor blocking, Duration verifyEvery) {
      this(node, kernel, blocking, verifyEvery, NEVER);
    }

    Agent(
        String node,
        InMemoryBackend kernel,
        Executor blocking,
        Duration verifyEvery,
        Duration consistencyEvery) {
      this.node = node;
      this.kernel = kernel;
      dataplane = new FlakyDataplane(new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)));
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
                  consistencyEvery,
                  metrics));
    }

    /** The NodeActor's Registered with a snapshot to follow. */
    void snapshotBegins(long generation) {
      actor.tell(new IptablesActor.SnapshotBegins(generation));
    }

    /** The NodeActor's SnapshotDone. */
    void snapshotEnds(long generation) {
      actor.tell(new IptablesActor.SnapshotEnds(generation));
    }

    /** A complete snapshot in which the NodeActor holds nothing yet. */
    void emptySnapshot(long generation) {
      snapshotBegins(generation);
      snapshotEnds(generation);
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
    boolean enforced() {
      return enforces(kernel, "x/db-from-web");
    }

    /** "x/db-from-web": db accepts traffic from web only. */
    CompiledPolicy dbFromWeb() {
      return allowFrom("db", "web", List.of(web, db));
    }

    /** "x/web-from-db": web accepts traffic from db only. */
    CompiledPolicy webFromDb() {
      return allowFrom("web", "db", List.of(web, db));
    }
  }

  @Test
  void whatArrivesDuringAnApplyIsAppliedTogetherAndReported() throws Exception {
    ManualExecutor blocking = new ManualExecutor();
    Agent agent = new Agent("batch-n1", blocking, NEVER);
    agent.emptySnapshot(1);
    Runnable baseChains = blocking.next(WAIT); // the NodeActor knew nothing yet
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
  void theRulesetIsShownWhenAskedAfterTheApplyThatRunsNotWithEveryReport() {
    ManualExecutor blocking = new ManualExecutor();
    Agent agent = new Agent("show-n1", blocking, NEVER);
    agent.snapshotBegins(1);
    agent.localPod(agent.web);
    agent.localPod(agent.db);
    agent.fragment("x/db-from-web", 7, agent.dbFromWeb());
    agent.snapshotEnds(1);
    Runnable apply = blocking.next(WAIT);
    // asked while the dataplane is busy: shown after the apply, never during it
    TestProbe<AgentProtocol.RulesetText> reader = kit.createTestProbe();
    agent.actor.tell(new IptablesActor.Show(reader.getRef()));
    assertThat(blocking.poll(Duration.ofMillis(200))).isNull();
    apply.run();
    assertThat(agent.report().ruleset()).as("reports carry no text").isEmpty();
    blocking.next(WAIT).run();
    assertThat(reader.receiveMessage(WAIT).text())
        .contains("KUBE-ROUTER-FORWARD", "\"x/db-from-web ingress policy\"")
        .isEqualTo(agent.dataplane.show());
  }

  @Test
  void aFailedApplyIsReportedAndRetriedAfterAPauseWithWhatArrivedMeanwhile() {
    ManualExecutor blocking = new ManualExecutor();
    Agent agent = new Agent("fail-n1", blocking, NEVER);
    agent.emptySnapshot(1);
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
      agent.snapshotBegins(1);
      agent.localPod(agent.web);
      agent.localPod(agent.db);
      agent.fragment("x/db-from-web", 1, agent.dbFromWeb());
      agent.snapshotEnds(1);
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

  @Test
  void aPatchedRulesetThatDifferedFromAFreshRenderIsCountedAndTheAgentGoesOn() throws Exception {
    ExecutorService blocking = Executors.newSingleThreadExecutor();
    Agent agent =
        new Agent("check-n1", new InMemoryBackend(), blocking, NEVER, Duration.ofMillis(100));
    try {
      agent.snapshotBegins(1);
      agent.localPod(agent.web);
      agent.localPod(agent.db);
      agent.fragment("x/db-from-web", 1, agent.dbFromWeb());
      agent.snapshotEnds(1);
      AppliedRuleset r = agent.report();
      while (!r.policies().equals(Map.of("x/db-from-web", 1L))) r = agent.report();
      String applied = agent.kernel.saveFilterTable(IpFamily.IPV4);

      // the checks of a dataplane that agrees with a fresh render count nothing; one that does
      // not is counted once
      agent.dataplane.inconsistent = List.of("IPV4 chain KUBE-POD-FW-X");
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(agent.metrics.consistencyRepaired).hasValue(1));
      agent.fragment("x/web-from-db", 1, agent.webFromDb());
      r = agent.report();
      while (!r.policies().containsKey("x/web-from-db")) r = agent.report();
      assertThat(agent.enforced()).isTrue();
      assertThat(enforces(agent.kernel, "x/web-from-db")).isTrue();
      assertThat(agent.kernel.saveFilterTable(IpFamily.IPV4)).isNotEqualTo(applied);
      assertThat(agent.metrics.consistencyRepaired).hasValue(1);
    } finally {
      kit.stop(agent.actor);
      blocking.shutdownNow();
    }
  }

  @Test
  void aRestartedAgentLeavesTheKernelAsItIsUntilItHasTheWholeSnapshot() throws Exception {
    String node = "restart-n1";
    NetpolPod web = pod("web", node, "10.42.0.10");
    NetpolPod db = pod("db", node, "10.42.0.11");
    List<NetpolPod> pods = List.of(web, db);
    // what the agent had applied before it restarted: both policies
    InMemoryBackend kernel = new InMemoryBackend();
    NetpolDataplane.Report before =
        new RenderingDataplane(kernel, Set.of(IpFamily.IPV4))
            .apply(
                new NetpolDataplane.State(
                    node,
                    List.of("10.42.0.0/24"),
                    pods,
                    List.of(allowFrom("db", "web", pods), allowFrom("web", "db", pods))));
    assertThat(before.error()).isNull();
    String kept = kernel.saveFilterTable(IpFamily.IPV4);
    assertThat(enforces(kernel, "x/db-from-web")).isTrue();
    assertThat(enforces(kernel, "x/web-from-db")).isTrue();

    ExecutorService blocking = Executors.newSingleThreadExecutor();
    Agent agent = new Agent(node, kernel, blocking, Duration.ofMillis(50));
    try {
      // the NodeActor's snapshot trickles in: until its end the kernel is left exactly as it is,
      // so db's traffic stays subject to x/db-from-web (and web's to x/web-from-db)
      agent.snapshotBegins(1);
      assertKernelStays(kernel, kept);
      agent.localPod(web);
      assertKernelStays(kernel, kept);
      agent.fragment("x/db-from-web", 4, agent.dbFromWeb());
      assertKernelStays(kernel, kept);
      agent.localPod(db);
      assertKernelStays(kernel, kept);
      assertThat(agent.dataplane.applied()).as("nothing was applied before the end").isEmpty();

      // complete: the kernel converges to the snapshot, and x/web-from-db, not in it, goes
      agent.snapshotEnds(1);
      awaitPolicies(agent, Map.of("x/db-from-web", 4L));
      assertThat(enforces(kernel, "x/db-from-web")).isTrue();
      assertThat(enforces(kernel, "x/web-from-db")).isFalse();
      assertThat(kernel.saveFilterTable(IpFamily.IPV4))
          .isEqualTo(rendered(node, pods, List.of(agent.dbFromWeb())));

      // a NodeActor rebuilt while this agent ran (it counts from 1 again) may know less than the
      // agent: its snapshot is merged once complete, so nothing the agent enforces is dropped
      String afterFirst = kernel.saveFilterTable(IpFamily.IPV4);
      agent.snapshotBegins(1);
      agent.localPod(db);
      agent.localPod(web);
      agent.fragment("x/web-from-db", 1, agent.webFromDb());
      assertKernelStays(kernel, afterFirst);
      agent.snapshotEnds(1);
      awaitPolicies(agent, Map.of("x/db-from-web", 4L, "x/web-from-db", 1L));
      assertThat(enforces(kernel, "x/db-from-web")).isTrue();
      assertThat(enforces(kernel, "x/web-from-db")).isTrue();
      assertThat(kernel.saveFilterTable(IpFamily.IPV4))
          .isEqualTo(rendered(node, pods, List.of(agent.dbFromWeb(), agent.webFromDb())));
      // and a policy goes only when its removal is said
      agent.fragment("x/db-from-web", 5, null);
      awaitPolicies(agent, Map.of("x/web-from-db", 1L));
      assertThat(enforces(kernel, "x/db-from-web")).isFalse();
    } finally {
      kit.stop(agent.actor);
      blocking.shutdownNow();
    }
  }

  /** The kernel still holds exactly {@code kept} a while after the last message. */
  private static void assertKernelStays(InMemoryBackend kernel, String kept) {
    await()
        .during(Duration.ofMillis(150))
        .atMost(WAIT)
        .until(() -> kernel.saveFilterTable(IpFamily.IPV4).equals(kept));
  }

  /** Waits for the report that applied exactly these policy generations. */
  private static void awaitPolicies(Agent agent, Map<String, Long> policies) {
    AppliedRuleset r = agent.report();
    while (!r.policies().equals(policies)) r = agent.report();
    assertThat(r.error()).isNull();
  }

  /** The filter table a node that never held anything else gets for this state. */
  private static String rendered(String node, List<NetpolPod> pods, List<CompiledPolicy> policies) {
    InMemoryBackend fresh = new InMemoryBackend();
    new RenderingDataplane(fresh, Set.of(IpFamily.IPV4))
        .apply(new NetpolDataplane.State(node, List.of("10.42.0.0/24"), pods, policies));
    return fresh.saveFilterTable(IpFamily.IPV4);
  }
}
