package io.netsvc.nodeagent.netpol;

import io.netsvc.nodeagent.netpol.IptablesActor.Checked;
import io.netsvc.nodeagent.netpol.IptablesActor.DriftRead;
import io.netsvc.nodeagent.netpol.IptablesActor.Rendered;
import io.netsvc.nodeagent.netpol.IptablesActor.Verified;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * An IptablesActor's periodic checks: the drift check (its {@code Verify} timer) reads the kernel,
 * the consistency check (its {@code Check} timer) renders the node afresh, each on the blocking
 * executor WITHOUT holding the agent, against copies the dataplane takes between jobs ({@link
 * NetpolDataplane#driftProbe}, {@link NetpolDataplane#consistencyProbe}): an apply that arrives
 * meanwhile starts at once. What a result means when it comes back is {@link CheckOutcome}'s call;
 * a repair is a dataplane job like an apply (it holds the agent), as is a check after {@link
 * CheckOutcome#VOID_IN_A_ROW} void ones. Metrics and log lines of repairs are made here. Used on
 * the actor's thread only.
 */
final class PeriodicChecks {
  /** The actor's dataplane jobs (applies, repairs, shows), one at a time. */
  interface Jobs {
    /** Whether a job runs now. */
    boolean busy();

    /** Jobs started so far. */
    long started();

    /** A job starts now: busy until its result arrives. */
    void start();
  }

  private final ActorContext<IptablesActor.Command> ctx;
  private final String node;
  private final NetpolDataplane dataplane;
  private final Executor blocking;
  private final NetpolMetrics metrics;
  private final Jobs jobs;
  // a drift check's read, a consistency check's render runs (without holding the agent)
  private boolean verifying;
  private boolean checking;
  // their void results in a row (CheckOutcome.holds)
  private int driftVoids;
  private int checkVoids;

  PeriodicChecks(
      ActorContext<IptablesActor.Command> ctx,
      String node,
      NetpolDataplane dataplane,
      Executor blocking,
      NetpolMetrics metrics,
      Jobs jobs) {
    this.ctx = ctx;
    this.node = node;
    this.dataplane = dataplane;
    this.blocking = blocking;
    this.metrics = metrics;
    this.jobs = jobs;
  }

  /** A drift check falls due (once the agent has applied a complete snapshot). */
  void verify() {
    // the dataplane is taken from one thread at a time: the copy to compare with only between jobs
    if (jobs.busy() || verifying) return;
    if (CheckOutcome.holds(driftVoids)) {
      // read and repair in one job, as every check did before
      job(dataplane::repairDrift);
      return;
    }
    NetpolDataplane.DriftProbe probe = dataplane.driftProbe();
    if (probe == null) return;
    verifying = true;
    long at = jobs.started();
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(probe::drifted, blocking),
        (drifted, err) -> new DriftRead(at, Boolean.TRUE.equals(drifted), text(err)));
  }

  void onDriftRead(DriftRead m) {
    verifying = false;
    CheckOutcome.Verdict v =
        CheckOutcome.of(m.jobs(), jobs.started(), jobs.busy(), m.drifted(), m.error() != null);
    driftVoids = v == CheckOutcome.Verdict.VOID ? driftVoids + 1 : 0;
    switch (v) {
      case VOID ->
          ctx.getLog().debug("netpol: {} used its dataplane during a drift check: dropped", node);
      case FAILED -> ctx.getLog().warn("netpol: verifying {} failed: {}", node, m.error());
      case AGREES -> {}
      case REPAIR -> job(dataplane::restoreDrifted);
    }
  }

  /** The drift repair (or the check that held the agent) finished; its job is over. */
  void onVerified(Verified m) {
    driftVoids = 0;
    if (m.error() != null) {
      ctx.getLog().warn("netpol: verifying {} failed: {}", node, m.error());
    } else if (m.repaired()) {
      metrics.driftRepaired(node);
      ctx.getLog().warn("netpol: rules on {} had drifted and were restored", node);
    }
  }

  /**
   * A consistency check falls due (once the agent has applied a complete snapshot).
   *
   * @param whole every input now; null while changes wait to be applied (then the dataplane's own)
   */
  void check(Supplier<NetpolDataplane.State> whole) {
    if (jobs.busy() || checking) return;
    if (CheckOutcome.holds(checkVoids)) {
      repairInconsistency(whole.get());
      return;
    }
    NetpolDataplane.ConsistencyProbe probe = dataplane.consistencyProbe(whole.get());
    if (probe == null) return;
    checking = true;
    long at = jobs.started();
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(probe::differences, blocking),
        (differences, err) ->
            new Rendered(at, differences == null ? List.of() : differences, text(err)));
  }

  /**
   * @param whole as for {@link #check}, now
   */
  void onRendered(Rendered m, Supplier<NetpolDataplane.State> whole) {
    checking = false;
    CheckOutcome.Verdict v =
        CheckOutcome.of(
            m.jobs(), jobs.started(), jobs.busy(), !m.differences().isEmpty(), m.error() != null);
    checkVoids = v == CheckOutcome.Verdict.VOID ? checkVoids + 1 : 0;
    switch (v) {
      case VOID ->
          ctx.getLog()
              .debug("netpol: {} used its dataplane during a consistency check: dropped", node);
      case FAILED ->
          ctx.getLog().warn("netpol: consistency check on {} failed: {}", node, m.error());
      case AGREES -> {}
      case REPAIR -> repairInconsistency(whole.get()); // compared again, with the inputs now
    }
  }

  /** The consistency repair (or the check that held the agent) finished; its job is over. */
  void onChecked(Checked m) {
    checkVoids = 0;
    if (m.error() != null) {
      ctx.getLog().warn("netpol: consistency check on {} failed: {}", node, m.error());
    } else if (!m.differences().isEmpty()) {
      metrics.consistencyRepaired(node);
      ctx.getLog()
          .warn(
              "netpol: the patched ruleset on {} differed from a fresh render in {} chains/sets"
                  + " (first: {}); the fresh render was applied",
              node,
              m.differences().size(),
              m.differences().subList(0, Math.min(5, m.differences().size())));
    }
  }

  private void job(Supplier<Boolean> repair) {
    jobs.start();
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(repair, blocking),
        (repaired, err) -> new Verified(Boolean.TRUE.equals(repaired), text(err)));
  }

  private void repairInconsistency(NetpolDataplane.State whole) {
    jobs.start();
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(
            () ->
                whole == null
                    ? dataplane.repairInconsistency()
                    : dataplane.repairInconsistency(whole),
            blocking),
        (differences, err) ->
            new Checked(differences == null ? List.of() : differences, text(err)));
  }

  private static String text(Throwable err) {
    return err == null ? null : err.toString();
  }
}
