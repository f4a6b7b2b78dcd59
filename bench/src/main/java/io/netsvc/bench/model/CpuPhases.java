package io.netsvc.bench.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * CPU seconds per process per benchmark phase, from snapshots of each process's cumulative CPU time
 * taken where a phase starts and where it ends, and the figures derived from them (CPU per Service,
 * per policy). Pure arithmetic and text: the snapshots come from {@code /proc} or the JVM.
 */
public final class CpuPhases {
  /** One process at one instant: cumulative CPU and its peak resident set so far (-1: unknown). */
  public record Sample(long pid, long cpuNanos, long peakRssKiB) {}

  /** Every process that could be read at one instant, by name, in the order they were named. */
  public record Snapshot(long nanos, Map<String, Sample> processes) {}

  /** What each process spent during one phase; processes absent at its end are left out. */
  public record Phase(String name, double seconds, Map<String, Double> cpuSeconds) {}

  private final List<Phase> phases = new ArrayList<>();
  private final Map<String, Long> peakRssKiB = new LinkedHashMap<>();
  private final Map<String, Long> heapBytes = new LinkedHashMap<>();

  /**
   * The phase between two snapshots. A process whose pid is not in {@code start} (it started during
   * the phase, or a new process took the name) counts all of its CPU so far: it was all spent in
   * this phase.
   */
  public static Phase between(String name, Snapshot start, Snapshot end) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    end.processes()
        .forEach(
            (process, e) -> {
              Sample s = start.processes().get(process);
              long from = s != null && s.pid() == e.pid() ? s.cpuNanos() : 0;
              cpu.put(process, Math.max(0, e.cpuNanos() - from) / 1e9);
            });
    return new Phase(name, Math.max(0, end.nanos() - start.nanos()) / 1e9, cpu);
  }

  /** Records the phase between the snapshots, and the peak resident sets seen at its end. */
  public synchronized void add(String name, Snapshot start, Snapshot end) {
    phases.add(between(name, start, end));
    end.processes()
        .forEach(
            (process, s) -> {
              if (s.peakRssKiB() >= 0) peakRssKiB.merge(process, s.peakRssKiB(), Math::max);
            });
  }

  /** A process's heap in use when measured (from its /metrics), for the table's last row. */
  public synchronized void heapUsed(String process, long bytes) {
    heapBytes.put(process, bytes);
  }

  public synchronized List<Phase> phases() {
    return List.copyOf(phases);
  }

  /** Every process that appears in some phase, in first-seen order. */
  public synchronized List<String> processes() {
    Set<String> all = new LinkedHashSet<>();
    phases.forEach(p -> all.addAll(p.cpuSeconds().keySet()));
    return List.copyOf(all);
  }

  /**
   * CPU milliseconds per unit of work for each process, over the phases whose names {@code phases}
   * accepts: their CPU summed, divided by {@code units}. A process in none of them is absent.
   */
  public synchronized Map<String, Double> msPer(Predicate<String> which, long units) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Phase p : phases) {
      if (!which.test(p.name())) continue;
      p.cpuSeconds().forEach((process, s) -> out.merge(process, s * 1000 / units, Double::sum));
    }
    return out;
  }

  /**
   * As {@link #msPer}, net of what each process spends at rest: its CPU rate in phase {@code rest}
   * (nothing changing) times the chosen phases' wall time is taken off before dividing. At small
   * sizes the rest rate (heartbeats, gossip, timers, the JIT) dominates a per-unit figure; this is
   * what one more unit costs. Empty without that phase.
   */
  public synchronized Map<String, Double> msPerNetOfRest(
      Predicate<String> which, long units, String rest) {
    Phase quiet = phases.stream().filter(p -> p.name().equals(rest)).findFirst().orElse(null);
    if (quiet == null || quiet.seconds() <= 0) return Map.of();
    double wall =
        phases.stream().filter(p -> which.test(p.name())).mapToDouble(Phase::seconds).sum();
    Map<String, Double> out = new LinkedHashMap<>();
    msPer(which, units)
        .forEach(
            (process, ms) -> {
              Double idle = quiet.cpuSeconds().get(process);
              if (idle == null) return;
              out.put(process, ms - idle / quiet.seconds() * wall * 1000 / units);
            });
    return out;
  }

  /** Each process's CPU milliseconds per wall second in phase {@code name} (empty: no such). */
  public synchronized Map<String, Double> msPerSecond(String name) {
    Map<String, Double> out = new LinkedHashMap<>();
    phases.stream()
        .filter(p -> p.name().equals(name) && p.seconds() > 0)
        .findFirst()
        .ifPresent(p -> p.cpuSeconds().forEach((k, v) -> out.put(k, v * 1000 / p.seconds())));
    return out;
  }

  /**
   * One line: {@code what} then each process's figure, then the sum over the processes whose names
   * start with {@code membersPrefix} (the members; empty: no sum).
   */
  public static String perUnitLine(String what, Map<String, Double> ms, String membersPrefix) {
    StringBuilder b = new StringBuilder(what).append(':');
    double members = 0;
    int count = 0;
    for (Map.Entry<String, Double> e : ms.entrySet()) {
      b.append(String.format(Locale.ROOT, " %s %.2f ms,", e.getKey(), e.getValue()));
      if (!membersPrefix.isEmpty() && e.getKey().startsWith(membersPrefix)) {
        members += e.getValue();
        count++;
      }
    }
    if (count > 0) {
      b.append(String.format(Locale.ROOT, " all %d %s* %.2f ms,", count, membersPrefix, members));
    }
    b.setLength(b.length() - 1);
    return b.toString();
  }

  /**
   * A Markdown table: a row per phase with its wall time and each process's CPU seconds (a CPU
   * share above the wall time means more than one core), then peak RSS and heap used per process.
   */
  public synchronized String table(String title) {
    List<String> names = processes();
    StringBuilder b = new StringBuilder();
    b.append(title).append('\n');
    b.append("| phase | wall s |");
    names.forEach(n -> b.append(' ').append(n).append(" CPU s |"));
    b.append('\n').append("|---|---|");
    names.forEach(n -> b.append("---|"));
    b.append('\n');
    for (Phase p : phases) {
      b.append("| ").append(p.name()).append(String.format(Locale.ROOT, " | %.1f |", p.seconds()));
      for (String n : names) {
        Double s = p.cpuSeconds().get(n);
        b.append(s == null ? " - |" : String.format(Locale.ROOT, " %.2f |", s));
      }
      b.append('\n');
    }
    b.append("| peak RSS MiB (VmHWM) | |");
    for (String n : names) {
      Long k = peakRssKiB.get(n);
      b.append(k == null ? " - |" : String.format(Locale.ROOT, " %d |", k / 1024));
    }
    b.append('\n');
    if (!heapBytes.isEmpty()) {
      b.append("| heap used MiB at the end | |");
      for (String n : names) {
        Long h = heapBytes.get(n);
        b.append(h == null ? " - |" : String.format(Locale.ROOT, " %d |", h / (1024 * 1024)));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
