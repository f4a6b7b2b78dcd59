package io.netsvc.bench;

import io.netsvc.bench.model.CpuPhases;
import io.netsvc.bench.model.ProcStat;
import io.netsvc.sim.progress.Progress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * CPU per process per benchmark phase: a {@link Progress.Listener} that snapshots every named
 * process's cumulative CPU ({@code /proc/PID/stat} utime + stime) and peak resident set ({@code
 * VmHWM}) where a phase starts and where it ends. The benchmark JVM itself is always one of the
 * processes ("bench"); with members as processes, the sim and each server are named as well.
 * Without {@code /proc} (not Linux) the JVM's {@link ProcessHandle.Info#totalCpuDuration()}.
 */
final class CpuMeter implements Progress.Listener {
  private static final long TICKS = clockTicks();

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final CpuPhases phases = new CpuPhases();
  private CpuPhases.Snapshot open;

  /** {@code benchName}: what this JVM holds (e.g. "bench (sim+API+netsvc)" in the single mode). */
  CpuMeter(String benchName) {
    pids.put(benchName, ProcessHandle.current().pid());
  }

  /** Names the processes of a {@link ProcessMembers}: "sim" and "server-1".."server-K". */
  synchronized void track(ProcessMembers m) {
    pids.put("sim", m.simPid());
    m.servers().forEach(s -> pids.put(s.name(), s.process().pid()));
  }

  /**
   * Heap in use now of each member process, from its {@code /metrics} ({@code
   * jvm_memory_used_bytes{area="heap"}}); for the table's last row.
   */
  void heapUsed(ProcessMembers m) {
    List<String> urls = m.metricsUrls();
    List<String> texts = MetricsText.scrape(urls);
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isEmpty()) continue;
      // the servers' URLs first, then the sim's agents' member
      String name = i < m.servers().size() ? m.servers().get(i).name() : "sim";
      double bytes =
          MetricsText.counter(List.of(texts.get(i)), "jvm_memory_used_bytes", "area=\"heap\"");
      phases.heapUsed(name, (long) bytes);
    }
  }

  /** This JVM's heap in use now. */
  void heapUsedHere(String benchName) {
    phases.heapUsed(benchName, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  CpuPhases phases() {
    return phases;
  }

  @Override
  public synchronized void started(String phase) {
    open = snapshot();
  }

  @Override
  public synchronized void ended(String phase) {
    if (open == null) return;
    phases.add(phase, open, snapshot());
    open = null;
  }

  private synchronized CpuPhases.Snapshot snapshot() {
    Map<String, CpuPhases.Sample> out = new LinkedHashMap<>();
    long now = System.nanoTime();
    pids.forEach(
        (name, pid) -> {
          OptionalLong cpu = cpuNanos(pid);
          if (cpu.isPresent()) {
            long hwm = ProcStat.statusKiB(read(pid, "status"), "VmHWM").orElse(-1);
            out.put(name, new CpuPhases.Sample(pid, cpu.getAsLong(), hwm));
          }
        });
    return new CpuPhases.Snapshot(now, out);
  }

  private static OptionalLong cpuNanos(long pid) {
    OptionalLong ticks = ProcStat.cpuTicks(read(pid, "stat"));
    if (ticks.isPresent()) return OptionalLong.of(ProcStat.ticksToNanos(ticks.getAsLong(), TICKS));
    // a process that ended has nothing to say any more
    return ProcessHandle.of(pid)
        .flatMap(h -> h.isAlive() ? h.info().totalCpuDuration() : java.util.Optional.empty())
        .map(d -> OptionalLong.of(d.toNanos()))
        .orElse(OptionalLong.empty());
  }

  private static String read(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** USER_HZ from {@code getconf CLK_TCK}; 100 (Linux's value everywhere) if that fails. */
  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
