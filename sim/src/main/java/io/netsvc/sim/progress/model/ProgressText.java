package io.netsvc.sim.progress.model;

import java.util.List;
import java.util.Locale;

/**
 * The text of progress lines and of the closing phase table, kept apart from the ticker that prints
 * them so that it can be checked without clocks or threads.
 */
public final class ProgressText {
  private ProgressText() {}

  /** A phase as the ticker last saw it; {@code total} &lt; 0: the size is not known beforehand. */
  public record Phase(String name, long done, long total, long elapsedNanos) {}

  /**
   * One line, e.g. {@code [netpol-sim] loading pods 1200/3000 (40%) 12.3 s}; without a known total
   * the count alone, and none while nothing is counted (a step such as "starting the API").
   */
  public static String line(String tag, Phase p) {
    StringBuilder b = new StringBuilder();
    b.append('[').append(tag).append("] ").append(p.name());
    if (p.total() >= 0 || p.done() > 0) b.append(' ').append(p.done());
    if (p.total() >= 0) {
      b.append('/')
          .append(p.total())
          .append(" (")
          .append(percent(p.done(), p.total()))
          .append("%)");
    }
    return b.append(' ').append(seconds(p.elapsedNanos())).append(" s").toString();
  }

  /** Whole percent done, floored (99% until the last item is in), clamped to 0..100. */
  static long percent(long done, long total) {
    if (total <= 0) return 100;
    return Math.max(0, Math.min(100, done * 100 / total));
  }

  /** Seconds with one decimal, whatever the default locale's decimal mark. */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /** A Markdown table of the phases: name, count, seconds, and the rate when it means anything. */
  public static String table(String tag, List<Phase> phases) {
    StringBuilder b = new StringBuilder();
    b.append("| ").append(tag).append(" phase | done | s | per s |\n");
    b.append("|---|---|---|---|\n");
    for (Phase p : phases) {
      String count =
          p.total() >= 0
              ? p.done() + "/" + p.total()
              : p.done() > 0 ? String.valueOf(p.done()) : "-";
      String rate =
          p.done() > 0 && p.elapsedNanos() >= 1_000_000
              ? String.format(Locale.ROOT, "%.1f", p.done() / (p.elapsedNanos() / 1e9))
              : "-";
      b.append("| ")
          .append(p.name())
          .append(" | ")
          .append(count)
          .append(" | ")
          .append(seconds(p.elapsedNanos()))
          .append(" | ")
          .append(rate)
          .append(" |\n");
    }
    return b.toString();
  }
}
