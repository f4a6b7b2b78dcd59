package io.netsvc.bench;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The NetworkPolicy sim benchmark's time per stage, so that the end-to-end time has names: watch,
 * compile, send, agent plan, kernel apply. Watch is the bench's own bare watch (the members'
 * informers wait for the same API event); compile, send and apply come from the members' {@code
 * /metrics} histograms, scraped before and after the probes (bucket upper bounds, so "at most").
 */
final class NetpolStages {
  private NetpolStages() {}

  static final String COMPILE = "netsvc_netpol_compile_seconds";
  static final String APPLY = "netsvc_netpol_apply_seconds";

  /** The agent's plan (pure code) and kernel (the tools) times apart, inside the apply row. */
  static final String AGENT_PLAN = "netsvc_netpol_apply_plan_seconds";

  static final String KERNEL = "netsvc_netpol_apply_kernel_seconds";

  /** From a fragment's send by its NetworkPolicyActor to its receipt by the agent. */
  static final String SEND = "netsvc_netpol_send_seconds";

  /** Prints the stage table; {@code before}/{@code after}: the members' /metrics texts. */
  static void print(
      List<Long> watchNanos, List<Long> totalNanos, List<String> before, List<String> after) {
    System.out.println();
    System.out.println("| stage (probes only) | samples | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|");
    row(
        "watch: create returned → a watch sees it (bare watch; the member's informer waits for"
            + " the same event)",
        watchNanos.size(),
        Stats.percentile(watchNanos, 50),
        Stats.percentile(watchNanos, 99));
    double compile =
        histogramRow("compile: one NetworkPolicy (" + COMPILE + ", ≤)", COMPILE, before, after);
    double send =
        histogramRow(
            "send: policy sent → NodeActor → outbox → agent received, one per target node ("
                + SEND
                + ", ≤)",
            SEND,
            before,
            after);
    double apply =
        histogramRow(
            "agent plan + kernel: one node's render, plan and apply (" + APPLY + ", ≤)",
            APPLY,
            before,
            after);
    for (String[] stage : new String[][] {{"agent plan", AGENT_PLAN}, {"kernel apply", KERNEL}}) {
      TreeMap<Double, Double> d = delta(before, after, stage[1]);
      if (MetricsText.count(d) == 0) {
        System.out.printf(
            "| %s | - | n/a (no apply reported %s in this run) | |%n", stage[0], stage[1]);
      } else {
        histogramRow(stage[0] + " (" + stage[1] + ", ≤)", stage[1], before, after);
      }
    }
    double watch50 = Stats.percentile(watchNanos, 50);
    double total50 = Stats.percentile(totalNanos, 50);
    row(
        "total: create returned → every target node applied",
        totalNanos.size(),
        total50,
        Stats.percentile(totalNanos, 99));
    System.out.printf(
        Locale.ROOT,
        "not accounted at p50 (the informer and routing before the compile, an agent's wait for"
            + " the apply before it, the acks back): %.1f ms of %.1f ms"
            + " (total − watch − compile − send − apply; one send and apply per target node)%n",
        total50 - watch50 - zeroIfNaN(compile) - zeroIfNaN(send) - zeroIfNaN(apply),
        total50);
  }

  /** Compiles and applies between two scrapes {@code seconds} apart with nothing changed. */
  static void printBackground(List<String> from, List<String> to, int seconds) {
    System.out.printf(
        "background, %d s before the probes with no change made: %d compiles, %d node applies%n",
        seconds,
        MetricsText.count(delta(from, to, COMPILE)),
        MetricsText.count(delta(from, to, APPLY)));
  }

  private static double zeroIfNaN(double x) {
    return Double.isNaN(x) || Double.isInfinite(x) ? 0 : x;
  }

  private static TreeMap<Double, Double> delta(
      List<String> before, List<String> after, String name) {
    return MetricsText.minus(MetricsText.buckets(after, name), MetricsText.buckets(before, name));
  }

  /** Prints a row from a histogram's observations between the scrapes; returns its p50. */
  private static double histogramRow(
      String what, String name, List<String> before, List<String> after) {
    TreeMap<Double, Double> d = delta(before, after, name);
    double p50 = MetricsText.percentileMs(d, 50);
    row(what, MetricsText.count(d), p50, MetricsText.percentileMs(d, 99));
    return p50;
  }

  private static void row(String what, long samples, double p50, double p99) {
    System.out.printf(Locale.ROOT, "| %s | %d | %s | %s |%n", what, samples, ms(p50), ms(p99));
  }

  private static String ms(double x) {
    if (Double.isNaN(x)) return "-";
    if (Double.isInfinite(x)) return "> last bucket";
    return String.format(Locale.ROOT, "%.1f", x);
  }
}
