package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;

/**
 * Renders a node's ruleset and brings the kernel (or the in-memory stand-in) there, writing only
 * what changed. Blocking; called from one thread at a time (the probes it hands out excepted).
 */
public interface NetpolDataplane {
  /**
   * What one node must enforce.
   *
   * @param changes what changed since the state handed to the previous apply; null when that is not
   *     known (every input is then compared with what was applied)
   */
  record State(
      String node,
      Collection<String> podCidrs,
      Collection<NetpolPod> localPods,
      Collection<CompiledPolicy> policies,
      Changes changes) {
    /** A state without its changes: every input is compared. */
    public State(
        String node,
        Collection<String> podCidrs,
        Collection<NetpolPod> localPods,
        Collection<CompiledPolicy> policies) {
      this(node, podCidrs, localPods, policies, null);
    }
  }

  /**
   * The inputs that may have changed since the previous apply's state, by key: a local pod or
   * policy now, null when it is gone. Everything not named here is as it was. A dataplane that kept
   * what it applied looks at these only (O(change)); one that starts over uses the whole state.
   */
  record Changes(Map<String, NetpolPod> pods, Map<String, CompiledPolicy> policies) {
    public Changes {
      pods = Collections.unmodifiableMap(pods);
      policies = Collections.unmodifiableMap(policies);
    }
  }

  /**
   * What an apply or a verification did.
   *
   * @param millis the whole apply
   * @param planMillis of it: deciding what to write (render or patch, and plan), pure code
   * @param kernelMillis of it: the tools (reading the kernel when needed, writing the plan)
   */
  record Report(
      long millis,
      int chains,
      int rules,
      int sets,
      int bytes,
      String error,
      long planMillis,
      long kernelMillis) {
    public Report(long millis, int chains, int rules, int sets, int bytes, String error) {
      this(millis, chains, rules, sets, bytes, error, 0, 0);
    }
  }

  /** Renders {@code state} and applies the difference to what was applied before. */
  Report apply(State state);

  /**
   * What was last applied, as text (our part of {@code iptables-save} and {@code ipset save}), or a
   * comment line when there is none yet or it is too large to show. Made only when asked, not per
   * apply: it costs O(rules on the node). Not while an apply runs (one thread at a time).
   */
  String show();

  /**
   * Compares the kernel with what was last applied and restores it if someone flushed or edited our
   * chains or sets. Returns true when something had to be repaired.
   */
  boolean repairDrift();

  /**
   * A drift check in two parts: what the kernel should hold of ours, taken now, on the caller's
   * thread, between applies (as every other call); and the returned probe, which reads the kernel
   * and compares, and may run on another thread while applies go on (it touches nothing this
   * dataplane keeps). Its answer is about the ruleset as it was when the probe was taken: repair
   * with {@link #restoreDrifted()} only if nothing was applied since. Null when there is nothing to
   * check (nothing applied yet, or the last apply failed).
   */
  default DriftProbe driftProbe() {
    return null;
  }

  /**
   * Restores what the kernel lost of ours, planned against the kernel read now: after a {@link
   * #driftProbe()} found drift and nothing was applied since. Returns true when it did.
   */
  default boolean restoreDrifted() {
    return repairDrift();
  }

  /**
   * A consistency check in two parts, as {@link #driftProbe()}: the patched ruleset and the inputs
   * are taken now, and the returned probe renders those inputs afresh and names where the two
   * differ, on any thread. When it names something and nothing was applied since, {@link
   * #repairInconsistency(State)} repairs (and checks again). Null when there is nothing to check.
   *
   * @param whole every input now (its changes are ignored); null: the inputs this dataplane kept
   */
  default ConsistencyProbe consistencyProbe(State whole) {
    return null;
  }

  /** The kernel read of a drift check, detached from the dataplane; run once. */
  interface DriftProbe {
    /** True when the kernel differs from the ruleset the probe was taken of. Blocking. */
    boolean drifted();
  }

  /** The fresh render of a consistency check, detached from the dataplane; run once. */
  interface ConsistencyProbe {
    /** Where the patched ruleset and the fresh render differ; empty when they agree. */
    java.util.List<String> differences();
  }

  /**
   * Compares the ruleset kept and patched between changes with a fresh render of the same inputs,
   * and when they differ applies the fresh one. Returns where they differed (empty: they agreed, or
   * there is nothing to compare yet). Slow (a full render): run it rarely.
   */
  default java.util.List<String> repairInconsistency() {
    return java.util.List.of();
  }

  /**
   * {@link #repairInconsistency()}, and before it a check that the inputs kept between applies,
   * which were given only their changes ({@link State#changes()}), add up to {@code whole} (every
   * input now; its changes are ignored): what differs is applied and named. O(inputs): run it
   * rarely, with the other check.
   */
  default java.util.List<String> repairInconsistency(State whole) {
    return repairInconsistency();
  }
}
