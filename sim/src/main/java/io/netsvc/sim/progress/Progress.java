package io.netsvc.sim.progress;

import io.netsvc.sim.progress.model.ProgressText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of a long run, for whoever watches it: one phase at a time (loading pods, waiting for
 * the last policy, ...), a line every {@code every} with the phase's count done / total and its
 * elapsed time, a line when a phase ends, and at the end a table of the phases. Counting is an
 * {@link AtomicLong} per phase (or any counter the caller already has), so the work being counted
 * pays nothing but an increment; a daemon thread reads it. Nothing is printed until the run is
 * {@code quietFor} old: a short {@code netsvc sim} start says nothing extra.
 */
public final class Progress implements AutoCloseable {
  private final String tag;
  private final PrintStream out;
  private final long quietForNanos;
  private final LongSupplier clock;
  private final long startNanos;
  private final ScheduledExecutorService ticker;
  private final List<ProgressText.Phase> ended = new ArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private Phase current;

  /**
   * Told where each phase starts and ends, on the thread that starts or ends it (a benchmark
   * snapshots what each process has spent there).
   */
  public interface Listener {
    void started(String phase);

    void ended(String phase);
  }

  Progress(String tag, PrintStream out, Duration every, Duration quietFor, LongSupplier clock) {
    this.tag = tag;
    this.out = out;
    this.quietForNanos = quietFor.toNanos();
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    if (every == null) {
      ticker = null; // ticks come from tick() (tests)
    } else {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "progress-" + tag);
                t.setDaemon(true); // never keeps a finished run's JVM alive
                return t;
              });
      long ms = every.toMillis();
      ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A benchmark's progress on standard output: a line every 5 s (so at least one per 10 s even on a
   * loaded machine), from the start.
   */
  public static Progress benchmark(String tag) {
    return new Progress(tag, System.out, Duration.ofSeconds(5), Duration.ZERO, System::nanoTime);
  }

  /** Quiet for the first {@code quietFor}, then a line every {@code every}. */
  public static Progress start(String tag, PrintStream out, Duration every, Duration quietFor) {
    return new Progress(tag, out, every, quietFor, System::nanoTime);
  }

  /** Adds a listener for the phases started from now on. */
  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** Ends the current phase, if any, and starts one of {@code total} items (-1: not known). */
  public Phase phase(String name, long total) {
    AtomicLong done = new AtomicLong();
    return begin(name, total, done, done::get);
  }

  /** As {@link #phase(String, long)}, counting with {@code done}, read at each tick. */
  public Phase phase(String name, long total, LongSupplier done) {
    return begin(name, total, null, done);
  }

  private synchronized Phase begin(String name, long total, AtomicLong counter, LongSupplier done) {
    endCurrent();
    listeners.forEach(l -> l.started(name));
    current = new Phase(name, total, counter, done, clock.getAsLong());
    return current;
  }

  /** Prints the current phase's line if the run is past its quiet start; called by the ticker. */
  synchronized void tick() {
    if (current != null && loud()) out.println(ProgressText.line(tag, current.snapshot()));
  }

  private boolean loud() {
    return clock.getAsLong() - startNanos >= quietForNanos;
  }

  /** Ends the current phase (its last line), so that what follows is not counted in it. */
  public synchronized void endPhase() {
    endCurrent();
  }

  private synchronized void endCurrent() {
    if (current == null) return;
    ProgressText.Phase p = current.snapshot();
    ended.add(p);
    listeners.forEach(l -> l.ended(p.name()));
    if (loud()) out.println(ProgressText.line(tag, p));
    current = null;
  }

  /** The phases so far (the current one as it stands). */
  public synchronized List<ProgressText.Phase> phases() {
    List<ProgressText.Phase> all = new ArrayList<>(ended);
    if (current != null) all.add(current.snapshot());
    return all;
  }

  /** Ends the current phase and prints the table of all phases. */
  public synchronized void printTable() {
    endCurrent();
    out.println();
    out.print(ProgressText.table(tag, ended));
    out.flush();
  }

  /** Ends the current phase; no more lines. */
  @Override
  public synchronized void close() {
    endCurrent();
    if (ticker != null) ticker.shutdownNow();
  }

  /** One phase: count with {@link #add}/{@link #set} (or the supplier given), end with the next. */
  public final class Phase {
    private final String name;
    private final long total;
    private final AtomicLong counter;
    private final LongSupplier done;
    private final long begun;

    private Phase(String name, long total, AtomicLong counter, LongSupplier done, long begun) {
      this.name = name;
      this.total = total;
      this.counter = counter;
      this.done = done;
      this.begun = begun;
    }

    /** One more item done. */
    public void increment() {
      add(1);
    }

    public void add(long n) {
      if (counter == null) throw new IllegalStateException(name + " counts with its supplier");
      counter.addAndGet(n);
    }

    public void set(long n) {
      if (counter == null) throw new IllegalStateException(name + " counts with its supplier");
      counter.set(n);
    }

    ProgressText.Phase snapshot() {
      return new ProgressText.Phase(name, done.getAsLong(), total, clock.getAsLong() - begun);
    }
  }
}
