package io.netsvc.bench;

import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The NetworkPolicy benchmark's markdown tables, as BENCHMARKS.md shows them. */
final class NetpolTables {
  private NetpolTables() {}

  static void sizes(List<NetpolBench.SizeRow> rows) {
    System.out.println(
        "(a) one node, all policies from empty (pure: median of 3; kernel: median of "
            + NetpolBench.KERNEL_RUNS
            + " fresh namespaces, the first of them also apart; JIT warm: the same apply without"
            + " the tools, median of "
            + NetpolBench.WARM_RUNS
            + " after as many)");
    table(
        "| policies | compile ms | render ms | plan ms | dataplane apply ms | of it tools ms"
            + " | floor ms | apply/floor | first run: apply, tools, floor ms | first run apply/floor"
            + " | apply − tools: first run, median, JIT warm ms | KiB written |",
        rows,
        "| %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %s | %.2f | %s | %,d |%n",
        r -> {
          NetpolKernel.Pair.Applied f = r.first();
          return cells(
              List.of(r.policies(), r.compileMs()),
              r.change(),
              String.format(
                  "%,.0f, %,.0f, %,.0f",
                  f.applyNanos() / 1e6, f.toolsNanos() / 1e6, f.floorNanos() / 1e6),
              (double) f.applyNanos() / f.floorNanos(),
              String.format(
                  "%,.0f, %,.0f, %,.0f",
                  (f.applyNanos() - f.toolsNanos()) / 1e6,
                  r.change().applyMs() - r.change().toolsMs(),
                  r.warmJavaMs()),
              r.change().bytes() / 1024);
        });
    System.out.println();
    table(
        "| policies | rendered here | layout | chains | rules | ipsets | set members |",
        rows,
        "| %,d | %,d | netsvc | %s |%n| | | kube-router (estimate) | %s |%n",
        r -> new Object[] {r.policies(), r.rendered(), counts(r.netsvc()), counts(r.kubeRouter())});
  }

  static String counts(Ruleset.Counts c) {
    return String.format("%,d | %,d | %,d | %,d", c.chains(), c.rules(), c.sets(), c.members());
  }

  static void churn(List<NetpolChurn.Row> rows, int reps) {
    System.out.println("(b0) the node loaded from empty (one run each)");
    table(
        "| rules | policies | rendered here | dataplane apply ms | floor ms | apply/floor | KiB |",
        rows,
        "| %,d | %,d | %,d | %,.0f | %,.0f | %.2f | %,d |%n",
        r ->
            new Object[] {
              r.rules(),
              r.policies(),
              r.rendered(),
              r.initialApplyMs(),
              r.initialFloorMs(),
              r.initialApplyMs() / r.initialFloorMs(),
              r.initialBytes() / 1024
            });
    System.out.printf(
        "%n(b1) one pod starts on the node: the node agent's part (median of %d pods)%n", reps);
    table(
        "| rules | render ms | plan ms | dataplane apply ms | of it tools ms | floor ms"
            + " | apply/floor | bytes written | of it iptables |",
        rows,
        "| %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %,d | %,d |%n",
        r -> cells(List.of(r.rules()), r.change(), r.change().bytes(), r.iptablesBytes()));
    for (NetpolChurn.Row r : rows) {
      System.out.printf("bytes per pod at %,d rules: %s%n", r.rules(), r.bytesPerPod());
    }
    System.out.printf("%n(b2) the same pod: recompiling the policies that read its namespace%n");
    table(
        "| rules | policies | recompiled | changed | one shared view ms"
            + " | as the actors (their namespace views) ms, 1 run | compile (shared view) + apply ms"
            + " | ÷ floor |",
        rows,
        "| %,d | %,d | %,d | %,d | %,.0f | %,.0f | %,.0f | %.1f |%n",
        r -> {
          double total = r.compileSharedMs() + r.change().applyMs();
          return new Object[] {
            r.rules(),
            r.policies(),
            r.affected(),
            r.changed(),
            r.compileSharedMs(),
            r.compileActorMs(),
            total,
            total / r.change().floorMs()
          };
        });
    System.out.printf(
        "%n(b3) versus a full rewrite of the same result (kube-router's way: every chain declared,"
            + " every set swapped in)%n");
    table(
        "| rules | full: plan ms | full: tools ms (runs) | full KiB | full tools / netsvc apply"
            + " | full bytes / netsvc bytes | Ruleset.dump() ms |",
        rows,
        "| %,d | %,.0f | %,.0f (%d) | %,d | %.1f | %,.0f | %,.0f |%n",
        r ->
            new Object[] {
              r.rules(),
              r.fullPlanMs(),
              r.fullToolsMs(),
              r.fullReps(),
              r.fullBytes() / 1024,
              r.fullToolsMs() / r.change().applyMs(),
              (double) r.fullBytes() / r.change().bytes(),
              r.dumpMs()
            });
  }

  /**
   * A row's cells: {@code first}, then the change's render, plan, apply, tools and floor times and
   * apply/floor, then {@code last}.
   */
  private static Object[] cells(List<?> first, NetpolBench.Change c, Object... last) {
    List<Object> out = new ArrayList<>(first);
    out.addAll(
        List.of(
            c.renderMs(),
            c.planMs(),
            c.applyMs(),
            c.toolsMs(),
            c.floorMs(),
            c.applyMs() / c.floorMs()));
    out.addAll(List.of(last));
    return out.toArray();
  }

  /** A markdown table: the header, its separator line, then each row through {@code format}. */
  private static <R> void table(
      String header, List<R> rows, String format, Function<R, Object[]> cells) {
    System.out.println(header);
    System.out.println("|" + "---|".repeat(header.split("\\|", -1).length - 2));
    for (R r : rows) System.out.printf(format, cells.apply(r));
  }
}
