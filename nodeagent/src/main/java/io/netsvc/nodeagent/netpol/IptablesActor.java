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
  private final PeriodicChecks checks;
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
    this.checks =
        new PeriodicChecks(
            ctx,
            node,
            dataplane,
            blocking,
            metrics,
            new PeriodicChecks.Jobs() {
              @Override
              public boolean busy() {
                return busy;
              }

              @Override
              public long started() {
                return jobs;
              }

              @Override
              public void start() {
                startJob();
              }
            });
  }

  private IptablesActor run(Runnable r) {
    r.run();
    return this;
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
        // before the first snapshot there is nothing of ours to compare with: the rules in the
        // kernel are the previous agent's, and they stay as they are
        .onMessage(Verify.class, m -> complete ? run(checks::verify) : this)
        .onMessage(DriftRead.class, m -> run(() -> checks.onDriftRead(m)))
        .onMessage(Verified.class, m -> run(() -> checks.onVerified(m)).jobDone())
        .onMessage(Check.class, m -> complete ? run(() -> checks.check(this::whole)) : this)
        .onMessage(Rendered.class, m -> run(() -> checks.onRendered(m, this::whole)))
        .onMessage(Checked.class, m -> run(() -> checks.onChecked(m)).jobDone())
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

  private NetpolDataplane.State whole() {
    // with nothing waiting to be applied, the inputs the dataplane kept must be ours exactly
    return dirty ? null : current.whole(node, podCidrs());
  }

  /** A repair, a check that held the agent or a show is over: what waited for it may start. */
  private Behavior<Command> jobDone() {
    busy = false;
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
    AgentProtocol.RulesetText text = new AgentProtocol.RulesetText(m.text());
    m.readers().forEach(r -> r.tell(text));
    return jobDone();
  }
}
