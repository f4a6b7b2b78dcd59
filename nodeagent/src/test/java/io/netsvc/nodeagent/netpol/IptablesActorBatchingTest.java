package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * When an IptablesActor applies: with the clock stopped ({@link ManualTime}), so a change that
 * waited for any timer would never be applied. Applies run on a {@link ManualExecutor}; reports go
 * to a probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IptablesActorBatchingTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration NEVER = Duration.ofHours(1);
  ActorTestKit kit;
  ManualTime clock;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("IptablesActorBatchingTest", ManualTime.config());
    clock = ManualTime.get(kit.system());
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  final class Agent {
    final ManualExecutor blocking = new ManualExecutor();
    final InMemoryBackend kernel = new InMemoryBackend();
    final FlakyDataplane dataplane =
        new FlakyDataplane(new RenderingDataplane(kernel, Set.of(IpFamily.IPV4)));
    final TestProbe<NodeActor.NetpolApplied> reports = kit.createTestProbe();
    final ActorRef<IptablesActor.Command> actor;
    final NetpolPod web;
    final NetpolPod db;

    Agent(String node) {
      web = IptablesActorTest.pod("web", node, "10.42.0.10");
      db = IptablesActorTest.pod("db", node, "10.42.0.11");
      ActorRef<NodeActor.NetpolApplied> to = reports.getRef();
      actor =
          kit.spawn(
              IptablesActor.create(
                  node,
                  List.of("10.42.0.0/24"),
                  dataplane,
                  blocking,
                  to::tell,
                  NEVER,
                  NEVER,
                  NetpolMetrics.NONE));
    }

    /** A complete snapshot with web and db, applied. */
    void started() {
      actor.tell(new IptablesActor.SnapshotBegins(1));
      pod(web);
      pod(db);
      actor.tell(new IptablesActor.SnapshotEnds(1));
      blocking.next(WAIT).run();
      assertThat(report().error()).isNull();
    }

    void pod(NetpolPod p) {
      actor.tell(new IptablesActor.PodInput(new AgentProtocol.LocalPod(p.key(), p)));
    }

    void fragment(String key, long generation, CompiledPolicy policy) {
      actor.tell(
          new IptablesActor.PolicyInput(new AgentProtocol.Fragment(key, generation, policy)));
    }

    CompiledPolicy policy(String target, String peer) {
      return IptablesActorTest.allowFrom(target, peer, List.of(web, db));
    }

    AppliedRuleset report() {
      return reports.receiveMessage(WAIT).report();
    }
  }

  @Test
  void aLoneChangeIsAppliedWithoutWaitingForATimer() {
    Agent agent = new Agent("lone-n1");
    agent.started();
    // the clock does not move: the change goes to the dataplane all the same
    agent.fragment("x/db-from-web", 1, agent.policy("db", "web"));
    agent.blocking.next(WAIT).run();
    AppliedRuleset r = agent.report();
    assertThat(r.error()).isNull();
    assertThat(r.policies()).isEqualTo(Map.of("x/db-from-web", 1L));
  }

  @Test
  void changesArrivingDuringAnApplyAreAppliedTogetherByTheNextOne() {
    Agent agent = new Agent("burst-n1");
    agent.started();
    agent.fragment("x/db-from-web", 1, agent.policy("db", "web"));
    Runnable first = agent.blocking.next(WAIT);
    // while the first apply runs, three more changes arrive
    agent.fragment("x/web-from-db", 1, agent.policy("web", "db"));
    agent.fragment("x/db-from-db", 1, agent.policy("db", "db"));
    agent.fragment("x/db-from-web", 2, agent.policy("db", "web"));
    agent.reports.expectNoMessage(Duration.ofMillis(100));
    assertThat(agent.blocking.poll(Duration.ofMillis(100))).as("one apply at a time").isNull();
    first.run();
    assertThat(agent.report().policies()).isEqualTo(Map.of("x/db-from-web", 1L));
    // one apply takes all three, at once
    agent.blocking.next(WAIT).run();
    assertThat(agent.report().policies())
        .isEqualTo(Map.of("x/db-from-web", 2L, "x/web-from-db", 1L, "x/db-from-db", 1L));
    assertThat(agent.blocking.poll(Duration.ofMillis(200))).as("nothing left to apply").isNull();
    assertThat(agent.dataplane.applied()).hasSize(3);
  }

  @Test
  void afterAFailedApplyTheNextTryWaitsForTheRetryPause() {
    Agent agent = new Agent("retry-n1");
    agent.started();
    agent.dataplane.failing = true;
    agent.fragment("x/db-from-web", 1, agent.policy("db", "web"));
    agent.blocking.next(WAIT).run();
    assertThat(agent.report().error()).contains("kernel said no");
    agent.dataplane.failing = false;
    // a change during the pause does not cut it short
    agent.fragment("x/web-from-db", 1, agent.policy("web", "db"));
    assertThat(agent.blocking.poll(Duration.ofMillis(200))).isNull();
    clock.timePasses(IptablesActor.RETRY);
    agent.blocking.next(WAIT).run();
    assertThat(agent.report().policies())
        .isEqualTo(Map.of("x/db-from-web", 1L, "x/web-from-db", 1L));
    // the retry applies the failed change too, not only what came after it
    assertThat(IptablesActorTest.enforces(agent.kernel, "x/db-from-web")).isTrue();
    assertThat(IptablesActorTest.enforces(agent.kernel, "x/web-from-db")).isTrue();
  }
}
