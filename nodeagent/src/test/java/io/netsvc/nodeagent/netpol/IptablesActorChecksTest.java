package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.model.KubeRouterNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic checks run without holding the agent: a policy change that arrives while a check
 * reads the kernel (a read held behind a {@link GatedBackend}) or renders is applied at once, and
 * the check's result, which no longer describes the ruleset, repairs nothing. The clock is stopped
 * ({@link ManualTime}) and the blocking work runs on a {@link ManualExecutor}.
 */
class IptablesActorChecksTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration NONE = Duration.ofMillis(200);
  static final Duration VERIFY = Duration.ofSeconds(30);
  static final Duration CHECK = Duration.ofMinutes(5);
  static final String NODE = "checks-n1";
  ActorTestKit kit;
  ManualTime clock;
  final ManualExecutor blocking = new ManualExecutor();
  final GatedBackend backend = new GatedBackend();
  final FlakyDataplane dataplane =
      new FlakyDataplane(new RenderingDataplane(backend, Set.of(IpFamily.IPV4)));
  final CountingMetrics metrics = new CountingMetrics();
  final NetpolPod web = IptablesActorTest.pod("web", NODE, "10.42.0.10");
  final NetpolPod db = IptablesActorTest.pod("db", NODE, "10.42.0.11");
  TestProbe<NodeActor.NetpolApplied> reports;
  ActorRef<IptablesActor.Command> actor;
  // the time since the agent started, and when its next checks fall due
  Duration now = Duration.ZERO;
  Duration nextVerify = CheckPhases.firstVerify(NODE, VERIFY);
  Duration nextCheck = CheckPhases.firstCheck(NODE, VERIFY, CHECK);

  @BeforeEach
  void start() {
    kit = ActorTestKit.create("IptablesActorChecksTest", ManualTime.config());
    clock = ManualTime.get(kit.system());
    reports = kit.createTestProbe();
    ActorRef<NodeActor.NetpolApplied> to = reports.getRef();
    actor =
        kit.spawn(
            IptablesActor.create(
                NODE,
                List.of("10.42.0.0/24"),
                dataplane,
                blocking,
                to::tell,
                VERIFY,
                CHECK,
                metrics));
    // applied: web and db, db admitting web only
    actor.tell(new IptablesActor.SnapshotBegins(1));
    actor.tell(new IptablesActor.PodInput(new AgentProtocol.LocalPod(web.key(), web)));
    actor.tell(new IptablesActor.PodInput(new AgentProtocol.LocalPod(db.key(), db)));
    fragment("x/db-from-web", 1, dbFromWeb());
    actor.tell(new IptablesActor.SnapshotEnds(1));
    blocking.next(WAIT).run();
    assertThat(report().policies()).isEqualTo(Map.of("x/db-from-web", 1L));
  }

  @AfterEach
  void stop() {
    backend.open();
    kit.shutdownTestKit();
  }

  @Test
  void aPolicyChangeIsAppliedWhileADriftCheckReadsTheKernel() throws Exception {
    backend.close();
    Thread read = new Thread(nextDrift());
    read.start();
    backend.awaitReading();

    // the check is reading the kernel: a new policy is applied now, not after the read
    fragment("x/web-from-db", 1, webFromDb());
    blocking.next(WAIT).run();
    AppliedRuleset r = report();
    assertThat(r.error()).isNull();
    assertThat(r.policies()).isEqualTo(Map.of("x/db-from-web", 1L, "x/web-from-db", 1L));
    assertThat(IptablesActorTest.enforces(backend.kernel, "x/web-from-db")).isTrue();
    assertThat(read.isAlive()).as("the read is still held").isTrue();

    backend.open();
    read.join(WAIT.toMillis());
    assertThat(blocking.poll(NONE)).as("nothing to repair").isNull();
    assertThat(metrics.driftRepaired).hasValue(0);
  }

  @Test
  void aDriftReadThatAnApplyOverlappedRepairsNothingAndTheNextTickChecksAgain() throws Exception {
    backend.close();
    Thread read = new Thread(nextDrift());
    read.start();
    backend.awaitReading();

    // the policy goes while the read waits: the read then misses its chain, which the ruleset
    // it compares with still had; that is no drift
    fragment("x/db-from-web", 2, null);
    blocking.next(WAIT).run();
    assertThat(report().policies()).isEmpty();
    int writes = backend.kernel.successfulRestores();
    backend.open();
    read.join(WAIT.toMillis());
    assertThat(blocking.poll(NONE)).as("no repair").isNull();
    assertThat(metrics.driftRepaired).hasValue(0);
    assertThat(dataplane.restores).hasValue(0);
    assertThat(backend.kernel.successfulRestores()).as("no write").isEqualTo(writes);
    assertThat(IptablesActorTest.enforces(backend.kernel, "x/db-from-web")).isFalse();

    // the next tick reads again, and finds what someone did to the kernel since
    String applied = backend.kernel.saveFilterTable(IpFamily.IPV4);
    backend.kernel.restore(IpFamily.IPV4, "*filter\n:" + podChain(applied) + " - [0:0]\nCOMMIT\n");
    nextDrift().run(); // the read
    blocking.next(WAIT).run(); // the repair
    await().atMost(WAIT).untilAsserted(() -> assertThat(metrics.driftRepaired).hasValue(1));
    assertThat(backend.kernel.saveFilterTable(IpFamily.IPV4)).isEqualTo(applied);
  }

  @Test
  void aConsistencyCheckThatAnApplyOverlappedRepairsNothing() {
    Runnable render = nextConsistency();
    dataplane.inconsistent = List.of("IPV4 chain KUBE-POD-FW-X");
    // the render has not finished: a change is applied at once
    fragment("x/web-from-db", 1, webFromDb());
    blocking.next(WAIT).run();
    assertThat(report().policies()).containsKey("x/web-from-db");
    render.run();
    assertThat(blocking.poll(NONE)).as("no repair").isNull();
    assertThat(metrics.consistencyRepaired).hasValue(0);
  }

  @Test
  void afterThreeVoidDriftChecksInARowTheNextHoldsTheAgent() {
    for (int i = 0; i < CheckOutcome.VOID_IN_A_ROW; i++) {
      Runnable read = nextDrift();
      fragment("x/db-from-web", 2 + i, i % 2 == 0 ? null : dbFromWeb());
      blocking.next(WAIT).run();
      report();
      read.run();
      assertThat(blocking.poll(NONE)).isNull();
    }
    // the fourth reads and repairs in one job: a change waits for it, as before
    Runnable held = nextDrift();
    fragment("x/web-from-db", 1, webFromDb());
    assertThat(blocking.poll(NONE)).as("the change waits for the check").isNull();
    held.run();
    blocking.next(WAIT).run();
    assertThat(report().policies()).containsKey("x/web-from-db");
    // and the one after it reads without holding the agent again
    Runnable read = nextDrift();
    fragment("x/web-from-db", 2, null);
    assertThat(blocking.poll(WAIT)).as("the change goes first").isNotNull();
    read.run();
  }

  /**
   * Lets time pass to the next drift check, running the consistency checks that fall due before it
   * (they find nothing); returns its job (the read), not yet run.
   */
  private Runnable nextDrift() {
    while (nextCheck.compareTo(nextVerify) < 0) {
      next(nextCheck).run();
      nextCheck = nextCheck.plus(CHECK);
    }
    Runnable read = next(nextVerify);
    nextVerify = nextVerify.plus(VERIFY);
    return read;
  }

  /** As {@link #nextDrift()}, for the next consistency check (its job: the render). */
  private Runnable nextConsistency() {
    while (nextVerify.compareTo(nextCheck) < 0) {
      next(nextVerify).run();
      nextVerify = nextVerify.plus(VERIFY);
    }
    Runnable render = next(nextCheck);
    nextCheck = nextCheck.plus(CHECK);
    return render;
  }

  /** Lets time pass up to {@code at}; returns the job that fell due then. */
  private Runnable next(Duration at) {
    clock.timePasses(at.minus(now));
    now = at;
    return blocking.next(WAIT);
  }

  private void fragment(String key, long generation, CompiledPolicy policy) {
    actor.tell(new IptablesActor.PolicyInput(new AgentProtocol.Fragment(key, generation, policy)));
  }

  private AppliedRuleset report() {
    return reports.receiveMessage(WAIT).report();
  }

  private CompiledPolicy dbFromWeb() {
    return IptablesActorTest.allowFrom("db", "web", List.of(web, db));
  }

  private CompiledPolicy webFromDb() {
    return IptablesActorTest.allowFrom("web", "db", List.of(web, db));
  }

  private static String podChain(String save) {
    return save.lines()
        .filter(l -> l.startsWith("-A " + KubeRouterNames.POD_CHAIN_PREFIX))
        .map(l -> l.substring(3, l.indexOf(' ', 3)))
        .findFirst()
        .orElseThrow();
  }
}
