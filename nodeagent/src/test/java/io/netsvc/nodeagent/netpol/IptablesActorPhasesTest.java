package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the periodic checks run, with the clock stopped ({@link ManualTime}): agents started at the
 * same moment each verify at their own point of the interval, and an agent's consistency check does
 * not fall due with its drift check. The checks run on a {@link ManualExecutor}.
 */
class IptablesActorPhasesTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration NONE = Duration.ofMillis(200);
  static final Duration VERIFY = Duration.ofSeconds(30);
  static final Duration CHECK = Duration.ofMinutes(5);
  ActorTestKit kit;
  ManualTime clock;

  @BeforeEach
  void start() {
    kit = ActorTestKit.create("IptablesActorPhasesTest", ManualTime.config());
    clock = ManualTime.get(kit.system());
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  final class Agent {
    final ManualExecutor blocking = new ManualExecutor();
    final FlakyDataplane dataplane =
        new FlakyDataplane(new RenderingDataplane(new InMemoryBackend(), Set.of(IpFamily.IPV4)));
    final TestProbe<NodeActor.NetpolApplied> reports = kit.createTestProbe();
    final ActorRef<IptablesActor.Command> actor;
    final String node;

    Agent(String node) {
      this.node = node;
      ActorRef<NodeActor.NetpolApplied> to = reports.getRef();
      actor =
          kit.spawn(
              IptablesActor.create(
                  node,
                  List.of("10.42.0.0/24"),
                  dataplane,
                  blocking,
                  to::tell,
                  VERIFY,
                  CHECK,
                  NetpolMetrics.NONE));
      // a complete snapshot, applied: from now on the checks run when they fall due
      NetpolPod web = IptablesActorTest.pod("web", node, "10.42.0.10");
      actor.tell(new IptablesActor.SnapshotBegins(1));
      actor.tell(new IptablesActor.PodInput(new AgentProtocol.LocalPod(web.key(), web)));
      actor.tell(new IptablesActor.SnapshotEnds(1));
      blocking.next(WAIT).run();
      assertThat(reports.receiveMessage(WAIT).report().error()).isNull();
    }

    /** Runs the check that fell due; "verify" or "check" by what the dataplane was asked. */
    String runDue() {
      int verifies = dataplane.verifies.get();
      int checks = dataplane.checks.get();
      blocking.next(WAIT).run();
      assertThat(dataplane.verifies.get() + dataplane.checks.get())
          .isEqualTo(verifies + checks + 1);
      return dataplane.verifies.get() > verifies ? "verify" : "check";
    }
  }

  /** A check falling due: when, on which agent, which kind. */
  record Due(Duration at, Agent agent, String kind) {}

  @Test
  void agentsStartedTogetherVerifyEachAtItsOwnMoment() {
    // the nodes of a sim, started at the same instant: what falls due in the first interval
    List<Due> due = new ArrayList<>();
    for (String node : List.of("node-1", "node-2", "node-3")) {
      Agent a = new Agent(node);
      due.add(new Due(CheckPhases.firstVerify(node, VERIFY), a, "verify"));
      Duration check = CheckPhases.firstCheck(node, VERIFY, CHECK);
      if (check.compareTo(VERIFY) <= 0) due.add(new Due(check, a, "check"));
    }
    due.sort(Comparator.comparing(Due::at));
    assertThat(due.stream().map(Due::at).distinct())
        .as("each at its own moment")
        .hasSize(due.size());
    assertThat(due.stream().filter(d -> d.kind().equals("verify"))).hasSize(3);
    Duration now = Duration.ZERO;
    for (Due d : due) {
      clock.timePasses(d.at().minus(now).minusMillis(1));
      for (Due other : due) {
        assertThat(other.agent().blocking.poll(NONE)).as("nothing due before " + d).isNull();
      }
      clock.timePasses(Duration.ofMillis(1));
      now = d.at();
      assertThat(d.agent().runDue()).isEqualTo(d.kind());
      for (Due other : due) {
        assertThat(other.agent().blocking.poll(NONE)).as("only " + d).isNull();
      }
    }
    // an interval after its first, each agent verifies again
    Due first = due.get(0);
    clock.timePasses(VERIFY.minus(now.minus(first.at())));
    assertThat(first.agent().runDue()).isEqualTo("verify");
  }

  @Test
  void theConsistencyCheckFallsDueHalfADriftIntervalAfterADriftCheck() {
    Agent agent = new Agent("node-7");
    Duration verify = CheckPhases.firstVerify("node-7", VERIFY);
    Duration check = CheckPhases.firstCheck("node-7", VERIFY, CHECK);
    Duration now = Duration.ZERO;
    List<String> seen = new ArrayList<>();
    Duration end = check.plus(CHECK);
    // step from one due time to the next, up to the second consistency check
    while (now.compareTo(end) < 0) {
      Duration next = verify.compareTo(check) < 0 ? verify : check;
      clock.timePasses(next.minus(now));
      now = next;
      String ran = agent.runDue();
      seen.add(ran);
      assertThat(ran).isEqualTo(next.equals(check) ? "check" : "verify");
      assertThat(agent.blocking.poll(NONE)).as("one check at a time").isNull();
      if (next.equals(check)) {
        assertThat(check.minus(verify).plus(VERIFY).toMillis() % VERIFY.toMillis())
            .isEqualTo(VERIFY.toMillis() / 2);
        check = check.plus(CHECK);
      } else {
        verify = verify.plus(VERIFY);
      }
    }
    // every drift check of two check intervals, and both consistency checks: none skipped
    assertThat(seen.stream().filter("check"::equals)).hasSize(2);
    assertThat(seen.stream().filter("verify"::equals)).hasSizeGreaterThanOrEqualTo(10);
  }
}
