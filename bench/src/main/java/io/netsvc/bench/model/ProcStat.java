package io.netsvc.bench.model;

import java.util.OptionalLong;

/**
 * The two figures the benchmarks read from Linux's per-process files: CPU time from {@code
 * /proc/PID/stat} and peak resident memory from {@code /proc/PID/status}. Pure parsing, so the
 * arithmetic can be tested without a process.
 */
public final class ProcStat {
  private ProcStat() {}

  /**
   * User plus system CPU of a {@code /proc/PID/stat} line, in clock ticks (fields 14 and 15). The
   * command name (field 2) is in parentheses and may itself hold spaces and parentheses, so the
   * fields are counted from the last ')'. Empty when the line is not one.
   */
  public static OptionalLong cpuTicks(String statLine) {
    if (statLine == null) return OptionalLong.empty();
    int close = statLine.lastIndexOf(')');
    if (close < 0) return OptionalLong.empty();
    String[] f = statLine.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state): utime (14) is f[11], stime (15) is f[12]
    if (f.length < 13) return OptionalLong.empty();
    try {
      return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Clock ticks as nanoseconds, at {@code ticksPerSecond} (USER_HZ, 100 on Linux). */
  public static long ticksToNanos(long ticks, long ticksPerSecond) {
    return ticks * (1_000_000_000L / ticksPerSecond);
  }

  /**
   * A {@code kB} field of {@code /proc/PID/status}, such as {@code VmHWM} (peak resident set) or
   * {@code VmRSS}, in KiB; empty when absent (a kernel thread, a process that ended).
   */
  public static OptionalLong statusKiB(String statusText, String field) {
    if (statusText == null) return OptionalLong.empty();
    for (String line : statusText.split("\n")) {
      if (!line.startsWith(field + ":")) continue;
      String[] f = line.substring(field.length() + 1).trim().split("\\s+");
      try {
        return OptionalLong.of(Long.parseLong(f[0]));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
