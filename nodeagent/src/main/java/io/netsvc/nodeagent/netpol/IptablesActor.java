package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's netfilter programmer: merges the policy fragments and local pods its NodeActor sends,
 * and renders and applies the difference through a {@link NetpolDataplane} on a blocking thread,
 * then reports the applied generation to the NodeActor. A change is applied at once (no batching
 * timer); changes that arrive while an apply runs, or that are already queued behind the one that
 * started it, are applied together by the next one. Only a failed apply waits ({@link #RETRY})
 * before trying again. Periodically verifies the kernel and repairs drift, and (rarely) checks the
 * ruleset it patches change by change against a fresh render; each first at a point of its interval
 * that depends on the node ({@link CheckPhases}), so agents started together do not all read their
 * rulesets at once. A check reads the kernel (or renders) on the blocking executor without holding
 * the agent: an apply that arrives meanwhile starts at once, and makes the check's result void
 * ({@link CheckOutcome}); only a repair holds the agent. Shows the ruleset as text only when asked
 * ({@link Show}): the apply reports carry no text.
 *
 * <p>It touches the kernel only once it has the NodeActor's whole state: a (re)started agent finds
 * the rules its predecessor applied and leaves them exactly as they are (no flush, no removal)
 * until a complete snapshot has arrived, and it never clears anything because its NodeActor cannot
 * be reached. A later snapshot (from a rebuilt NodeActor, while this agent kept running) is merged
 * once complete: it adds and updates but removes nothing, because a NodeActor rebuilt after a
 * member crash may not yet know every policy; removals come as explicit fragments.
 */
public final class IptablesActor extends AbstractBehavior<IptablesActor.Command> {
  /** The pause after a failed apply before the next try (no hammering a failing kernel). */
  static final Duration RETRY = Duration.ofSeconds(1);

  private static final String RETRY_TIMER = "retry";

  /** Messages of an IptablesActor (local to its agent). */
  public sealed interface Command
      permits PolicyInput,
          PodInput,
          PodCidrsInput,
          SnapshotBegins,
          SnapshotEnds,
          Apply,
          Applied,
          Verify,
          DriftRead,
          Verified,
          Check,
          Rendered,
          Checked,
          Show,
          Shown {}

  /** A policy's fragment from the NodeActor, forwarded by the agent. */
  public record PolicyInput(AgentProtocol.Fragment fragment) implements Command {}

  /** A local pod from the NodeActor, forwarded by the agent. */
  public record PodInput(AgentProtocol.LocalPod pod) implements Command {}

  /** The Node's pod CIDRs from the NodeActor, forwarded by the agent. */
  public record PodCidrsInput(AgentProtocol.PodCidrs cidrs) implements Command {}

  /**
   * The NodeActor's full state follows (its Registered with a snapshot, forwarded by the agent).
   */
  public record SnapshotBegins(long generation) implements Command {}

  /** The snapshot of {@code generation} is complete (its SnapshotDone, forwarded by the agent). */
  public record SnapshotEnds(long generation) implements Command {}

  /** Reply with the ruleset as text (the agent's {@link AgentProtocol.ShowRuleset}). */
  public record Show(ActorRef<AgentProtocol.RulesetText> replyTo) implements Command {}

  record Shown(List<ActorRef<AgentProtocol.RulesetText>> readers, String text) implements Command {}

  record Apply() implements Command {}

  record Applied(long generation, Map<String, Long> policies, NetpolDataplane.Report report)
      implements Command {}

  record Verify() implements Command {}

  /** A drift check's read of the kernel came back; {@code jobs}: the job count when it began. */
  record DriftRead(long jobs, boolean drifted, String error) implements Command {}

  record Verified(boolean repaired, String error) implements Command {}

  record Check() implements Command {}

  /** A consistency check's fresh render came back; {@code jobs}: the job count when it began. */
  record Rendered(long jobs, List<String> differences, String error) implements Command {}

  record Checked(List<String> differences, String error) implements Command {}

  public static Behavior<Command> create(
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      ClusterSharding sharding,
      Duration verifyEvery,
      NetpolMetrics metrics) {
    return create(
        node,
        podCidrs,
        dataplane,
        blocking,
        sharding,
        verifyEvery,
        NetpolSetup.CONSISTENCY_EVERY,
        metrics);
  }

  /**
   * @param consistencyEvery how often the patched ruleset is compared with a fresh render (a full
   *     render of the node: keep it rare)
   */
  public static Behavior<Command> create(
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      ClusterSharding sharding,
      Duration verifyEvery,
      Duration consistencyEvery,
      NetpolMetrics metrics) {
    return create(
        node,
        podCidrs,
        dataplane,
        blocking,
        applied -> sharding.entityRefFor(NodeActor.TYPE_KEY, node).tell(applied),
        verifyEvery,
        consistencyEvery,
        metrics);
  }

  /**
   * @param reports where the apply reports go (the node's NodeActor)
   */
  static Behavior<Command> create(
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      Consumer<NodeActor.NetpolApplied> reports,
      Duration verifyEvery,
      Duration consistencyEvery,
      NetpolMetrics metrics) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                t -> {
                  // the first of each at the node's own point of the interval (CheckPhases)
                  t.startTimerWithFixedDelay(
                      "verify",
                      new Verify(),
                      CheckPhases.firstVerify(node, verifyEvery),
                      verifyEvery);
                  t.startTimerWithFixedDelay(
                      "check",
                      new Check(),
                      CheckPhases.firstCheck(node, verifyEvery, consistencyEvery),
                      consistencyEvery);
                  return new IptablesActor(
                      ctx, t, node, podCidrs, dataplane, blocking, reports, metrics);
                }));
  }

  private final TimerScheduler<Command> timers;
  private final String node;
  // the agent's own setting (the sim passes the CIDRs its kubelets allocate from; a real agent
  // none)
  private final List<String> configuredPodCidrs;
  // the Node's spec.podCIDRs as its NodeActor sent them: they win once non-empty
  private List<String> nodePodCidrs = List.of();
  private final NetpolDataplane dataplane;
  private final Executor blocking;
  private final Consumer<NodeActor.NetpolApplied> reports;
  private final NetpolMetrics metrics;
  private NodeInputs current = new NodeInputs();
  // a snapshot being received (null when none is), and the registration generation it belongs to
  private NodeInputs incoming;
  private long incomingGeneration;
  // a complete snapshot has arrived: until then nothing is applied and nothing is verified
  private boolean complete;
  private long generation;
  // a dataplane job (apply, repair, show) runs on the blocking executor
  private boolean busy;
  // dataplane jobs started so far: a check that ran without holding the agent is void when this
  // moved meanwhile (CheckOutcome)
  private long jobs;
  // a drift check's read, a consistency check's render runs (without holding the agent)
  private boolean verifying;
  private boolean checking;
  // their void results in a row (CheckOutcome.holds)
  private int driftVoids;
  private int checkVoids;
  private boolean dirty;
  // an Apply is in our own mailbox: more changes before it arrives join it
  private boolean applyQueued;
  // who asked to see the ruleset while the dataplane was busy
  private final List<ActorRef<AgentProtocol.RulesetText>> readers = new ArrayList<>();

  private IptablesActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      Consumer<NodeActor.NetpolApplied> reports,
      NetpolMetrics metrics) {
    super(ctx);
    this.timers = timers;
    this.node = node;
    this.configuredPodCidrs = List.copyOf(podCidrs);
    this.dataplane = dataplane;
    this.blocking = blocking;
    this.reports = reports;
    this.metrics = metrics;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PolicyInput.class, this::onPolicy)
        .onMessage(PodInput.class, this::onPod)
        .onMessage(PodCidrsInput.class, this::onPodCidrs)
        .onMessage(SnapshotBegins.class, this::onSnapshotBegins)
        .onMessage(SnapshotEnds.class, this::onSnapshotEnds)
        .onMessage(Apply.class, m -> apply())
        .onMessage(Applied.class, this::onApplied)
        .onMessage(Verify.class, m -> verify())
        .onMessage(DriftRead.class, this::onDriftRead)
        .onMessage(Verified.class, this::onVerified)
        .onMessage(Check.class, m -> check())
        .onMessage(Rendered.class, this::onRendered)
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Show.class, this::onShow)
        .onMessage(Shown.class, this::onShown)
        .build();
  }

  private Behavior<Command> onPolicy(PolicyInput m) {
    if (incoming != null) {
      incoming.fragment(m.fragment());
      return this;
    }
    current.fragment(m.fragment());
    return changed();
  }

  private Behavior<Command> onPod(PodInput m) {
    if (incoming != null) {
      incoming.pod(m.pod());
      return this;
    }
    current.pod(m.pod());
    return changed();
  }

  private Behavior<Command> onPodCidrs(PodCidrsInput m) {
    List<String> before = podCidrs();
    nodePodCidrs = m.cidrs().cidrs();
    if (podCidrs().equals(before)) return this;
    getContext().getLog().info("netpol: {} pod CIDRs are {}", node, podCidrs());
    return changed();
  }

  private List<String> podCidrs() {
    return nodePodCidrs.isEmpty() ? configuredPodCidrs : nodePodCidrs;
  }

  private Behavior<Command> onSnapshotBegins(SnapshotBegins m) {
    incoming = new NodeInputs();
    incomingGeneration = m.generation();
    return this;
  }

  private Behavior<Command> onSnapshotEnds(SnapshotEnds m) {
    if (incoming == null || m.generation() != incomingGeneration) {
      // the end of a snapshot that a newer registration has replaced: keep collecting that one
      return this;
    }
    if (complete) current.merge(incoming);
    else current = incoming;
    incoming = null;
    if (!complete) {
      getContext()
          .getLog()
          .info(
              "netpol: {} has the full state ({} policies, {} local pods), applying",
              node,
              current.policyCount(),
              current.podCount());
    }
    complete = true;
    return changed();
  }

  private Behavior<Command> changed() {
    dirty = true;
    startApply();
    return this;
  }

  /**
   * Queues an Apply behind the messages already in the mailbox when there is something to apply and
   * nothing runs: those messages join it. Not during the pause after a failure.
   */
  private void startApply() {
    if (!dirty || !complete || busy || applyQueued || timers.isTimerActive(RETRY_TIMER)) return;
    applyQueued = true;
    getContext().getSelf().tell(new Apply());
  }

  private Behavior<Command> apply() {
    applyQueued = false;
    if (busy || !dirty || !complete) return this;
    startJob();
    dirty = false;
    long gen = ++generation;
    Map<String, Long> gens = current.generations();
    NetpolDataplane.State state = current.state(node, podCidrs());
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> dataplane.apply(state), blocking),
            (r, err) ->
                new Applied(
                    gen,
                    gens,
                    r != null
                        ? r
                        : new NetpolDataplane.Report(0, 0, 0, 0, 0, String.valueOf(err))));
    return this;
  }

  private Behavior<Command> onApplied(Applied m) {
    busy = false;
    NetpolDataplane.Report r = m.report();
    if (r.error() != null) {
      metrics.failed(node);
      getContext().getLog().warn("netpol: applying on {} failed: {}", node, r.error());
      dirty = true; // try again after a pause
      current.changesUnknown(); // and then compare everything: the dataplane starts over
      timers.startSingleTimer(RETRY_TIMER, new Apply(), RETRY);
    } else {
      metrics.applied(node, r.millis(), r.bytes(), r.chains(), r.rules(), r.sets());
      metrics.stages(node, r.planMillis(), r.kernelMillis());
      startApply();
    }
    reports.accept(
        new NodeActor.NetpolApplied(
            new AppliedRuleset(
                m.generation(),
                r.error() == null ? m.policies() : Map.of(),
                "", // shown on demand (Show), not with every apply
                r.millis(),
                r.chains(),
                r.rules(),
                r.sets(),
                r.error(),
                r.planMillis(),
                r.kernelMillis())));
    return showIfAsked();
  }

  /** The dataplane is in use from now until its job's result arrives (one job at a time). */
  private void startJob() {
    busy = true;
    jobs++;
  }

  /**
   * The drift check: the kernel is read on the blocking executor without holding the agent, so an
   * apply that arrives meanwhile starts at once (and voids the read); a repair holds it.
   */
  private Behavior<Command> verify() {
    // before the first snapshot there is nothing of ours to compare with: the rules in the kernel
    // are the previous agent's, and they stay as they are. The dataplane is taken from one thread
    // at a time: the expected ruleset only between jobs
    if (busy || verifying || !complete) return this;
    if (CheckOutcome.holds(driftVoids)) return verifyHolding();
    NetpolDataplane.DriftProbe probe = dataplane.driftProbe();
    if (probe == null) return this;
    verifying = true;
    long at = jobs;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(probe::drifted, blocking),
            (drifted, err) ->
                new DriftRead(
                    at, Boolean.TRUE.equals(drifted), err == null ? null : err.toString()));
    return this;
  }

  // after void reads in a row: read and repair in one job, as every check did before
  private Behavior<Command> verifyHolding() {
    startJob();
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(dataplane::repairDrift, blocking),
            (repaired, err) ->
                new Verified(Boolean.TRUE.equals(repaired), err == null ? null : err.toString()));
    return this;
  }

  private Behavior<Command> onDriftRead(DriftRead m) {
    verifying = false;
    CheckOutcome.Verdict v = CheckOutcome.of(m.jobs(), jobs, busy, m.drifted(), m.error() != null);
    driftVoids = v == CheckOutcome.Verdict.VOID ? driftVoids + 1 : 0;
    switch (v) {
      case VOID ->
          getContext()
              .getLog()
              .debug("netpol: {} used its dataplane during a drift check: dropped", node);
      case FAILED -> getContext().getLog().warn("netpol: verifying {} failed: {}", node, m.error());
      case AGREES -> {}
      case REPAIR -> {
        startJob();
        getContext()
            .pipeToSelf(
                CompletableFuture.supplyAsync(dataplane::restoreDrifted, blocking),
                (repaired, err) ->
                    new Verified(
                        Boolean.TRUE.equals(repaired), err == null ? null : err.toString()));
      }
    }
    return this;
  }

  /**
   * The consistency check: the fresh render runs on the blocking executor without holding the
   * agent, against the patched ruleset and the inputs taken now; a repair holds it.
   */
  private Behavior<Command> check() {
    // like verify: only once our rules are in the kernel, and between jobs
    if (busy || checking || !complete) return this;
    // with nothing waiting to be applied, the inputs the dataplane kept must be ours exactly
    NetpolDataplane.State whole = dirty ? null : current.whole(node, podCidrs());
    if (CheckOutcome.holds(checkVoids)) return repairInconsistency(whole);
    NetpolDataplane.ConsistencyProbe probe = dataplane.consistencyProbe(whole);
    if (probe == null) return this;
    checking = true;
    long at = jobs;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(probe::differences, blocking),
            (differences, err) ->
                new Rendered(
                    at,
                    differences == null ? List.of() : differences,
                    err == null ? null : err.toString()));
    return this;
  }

  private Behavior<Command> onRendered(Rendered m) {
    checking = false;
    CheckOutcome.Verdict v =
        CheckOutcome.of(m.jobs(), jobs, busy, !m.differences().isEmpty(), m.error() != null);
    checkVoids = v == CheckOutcome.Verdict.VOID ? checkVoids + 1 : 0;
    switch (v) {
      case VOID ->
          getContext()
              .getLog()
              .debug("netpol: {} used its dataplane during a consistency check: dropped", node);
      case FAILED ->
          getContext().getLog().warn("netpol: consistency check on {} failed: {}", node, m.error());
      case AGREES -> {}
      case REPAIR -> {
        // compared and repaired again in one job, with the inputs as they are now
        return repairInconsistency(dirty ? null : current.whole(node, podCidrs()));
      }
    }
    return this;
  }

  private Behavior<Command> repairInconsistency(NetpolDataplane.State whole) {
    startJob();
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(
                () ->
                    whole == null
                        ? dataplane.repairInconsistency()
                        : dataplane.repairInconsistency(whole),
                blocking),
            (differences, err) ->
                new Checked(
                    differences == null ? List.of() : differences,
                    err == null ? null : err.toString()));
    return this;
  }

  private Behavior<Command> onChecked(Checked m) {
    busy = false;
    checkVoids = 0;
    if (m.error() != null) {
      getContext().getLog().warn("netpol: consistency check on {} failed: {}", node, m.error());
    } else if (!m.differences().isEmpty()) {
      metrics.consistencyRepaired(node);
      getContext()
          .getLog()
          .warn(
              "netpol: the patched ruleset on {} differed from a fresh render in {} chains/sets"
                  + " (first: {}); the fresh render was applied",
              node,
              m.differences().size(),
              m.differences().subList(0, Math.min(5, m.differences().size())));
    }
    startApply();
    return showIfAsked();
  }

  private Behavior<Command> onVerified(Verified m) {
    busy = false;
    driftVoids = 0;
    if (m.error() != null) {
      getContext().getLog().warn("netpol: verifying {} failed: {}", node, m.error());
    } else if (m.repaired()) {
      metrics.driftRepaired(node);
      getContext().getLog().warn("netpol: rules on {} had drifted and were restored", node);
    }
    startApply();
    return showIfAsked();
  }

  private Behavior<Command> onShow(Show m) {
    readers.add(m.replyTo());
    return showIfAsked();
  }

  // The dataplane is used from one thread at a time: the text is made between applies, on the
  // blocking executor, for everyone who asked meanwhile.
  private Behavior<Command> showIfAsked() {
    if (busy || readers.isEmpty()) return this;
    startJob();
    List<ActorRef<AgentProtocol.RulesetText>> to = List.copyOf(readers);
    readers.clear();
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(dataplane::show, blocking),
            (text, err) ->
                new Shown(
                    to,
                    text != null ? text : "# showing the ruleset of " + node + " failed: " + err));
    return this;
  }

  private Behavior<Command> onShown(Shown m) {
    busy = false;
    AgentProtocol.RulesetText text = new AgentProtocol.RulesetText(m.text());
    m.readers().forEach(r -> r.tell(text));
    startApply();
    return showIfAsked();
  }
}
