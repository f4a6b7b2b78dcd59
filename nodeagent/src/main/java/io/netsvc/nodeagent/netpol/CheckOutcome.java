package io.netsvc.nodeagent.netpol;

/**
 * What a periodic check that ran without holding its agent means when its result comes back, and
 * when a check holds the agent instead. Such a check (the drift check's read of the kernel, the
 * consistency check's fresh render) compares with the ruleset as it was when the check started; an
 * apply (or any other use of the dataplane) since then may have changed both the ruleset and the
 * kernel under it, so the result says nothing any more and is dropped: the next check, at the next
 * tick of its timer, looks again. A retry at once would, under a stream of changes, most likely be
 * void again and spend CPU the applies need; the tick is the delay the operator chose. So that a
 * stream of changes cannot put a check off for ever, after {@link #VOID_IN_A_ROW} void results in a
 * row the next check of that kind holds the agent (as all checks did before: an apply that arrives
 * meanwhile waits). Pure.
 */
final class CheckOutcome {
  private CheckOutcome() {}

  /** Void results of one kind of check in a row after which the next one holds the agent. */
  static final int VOID_IN_A_ROW = 3;

  enum Verdict {
    /** The dataplane was used since the check started: the result is dropped. */
    VOID,
    /** The check could not be made (its error is logged). */
    FAILED,
    /** The kernel or the patched ruleset is as it should be. */
    AGREES,
    /** It is not, and nothing changed since: repair, holding the agent. */
    REPAIR
  }

  /**
   * @param jobsAtStart the agent's count of dataplane jobs (applies, repairs, shows) when the check
   *     started; the check starts only while none runs
   * @param jobsNow that count now
   * @param busy whether a dataplane job runs now
   * @param found whether the check found a difference
   * @param failed whether the check could not be made
   */
  static Verdict of(long jobsAtStart, long jobsNow, boolean busy, boolean found, boolean failed) {
    if (jobsNow != jobsAtStart || busy) return Verdict.VOID;
    if (failed) return Verdict.FAILED;
    return found ? Verdict.REPAIR : Verdict.AGREES;
  }

  /** Whether the next check of a kind holds the agent, after {@code voidInARow} void results. */
  static boolean holds(int voidInARow) {
    return voidInARow >= VOID_IN_A_ROW;
  }
}
