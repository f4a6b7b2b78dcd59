package io.netsvc.nodeagent.netpol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real dataplane, plus what a test needs around it: every state it was asked to apply, and a
 * switch that makes applying throw as a broken kernel tool would.
 */
final class FlakyDataplane implements NetpolDataplane {
  private final NetpolDataplane real;
  private final List<State> applied = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  // what the next consistency check reports as differing from a fresh render (empty: agree)
  volatile List<String> inconsistent = List.of();
  // drift checks and consistency checks run so far (their reads and renders, or the checks that
  // held the agent)
  final AtomicInteger verifies = new AtomicInteger();
  final AtomicInteger checks = new AtomicInteger();
  // repairs of drift a drift check found
  final AtomicInteger restores = new AtomicInteger();

  FlakyDataplane(NetpolDataplane real) {
    this.real = real;
  }

  @Override
  public Report apply(State state) {
    applied.add(state);
    if (failing) throw new IllegalStateException("kernel said no");
    return real.apply(state);
  }

  @Override
  public String show() {
    return real.show();
  }

  @Override
  public boolean repairDrift() {
    verifies.incrementAndGet();
    return real.repairDrift();
  }

  @Override
  public DriftProbe driftProbe() {
    DriftProbe probe = real.driftProbe();
    if (probe == null) return null;
    return () -> {
      verifies.incrementAndGet();
      return probe.drifted();
    };
  }

  @Override
  public boolean restoreDrifted() {
    restores.incrementAndGet();
    return real.restoreDrifted();
  }

  @Override
  public ConsistencyProbe consistencyProbe(State whole) {
    ConsistencyProbe probe = real.consistencyProbe(whole);
    if (probe == null) return null;
    return () -> {
      checks.incrementAndGet();
      List<String> found = inconsistent; // taken by the repair that follows
      return found.isEmpty() ? probe.differences() : found;
    };
  }

  @Override
  public List<String> repairInconsistency() {
    checks.incrementAndGet();
    List<String> found = inconsistent;
    inconsistent = List.of();
    return found.isEmpty() ? real.repairInconsistency() : found;
  }

  @Override
  public List<String> repairInconsistency(State whole) {
    checks.incrementAndGet();
    List<String> found = inconsistent;
    inconsistent = List.of();
    return found.isEmpty() ? real.repairInconsistency(whole) : found;
  }

  /** Every state handed to {@link #apply}, oldest first. */
  List<State> applied() {
    return List.copyOf(applied);
  }
}
