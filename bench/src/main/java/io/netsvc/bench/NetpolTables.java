package io.netsvc.bench;

import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.List;

/** The NetworkPolicy benchmark's markdown tables, as BENCHMARKS.md shows them. */
final class NetpolTables {
  private NetpolTables() {}

  static void sizes(List<NetpolBench.SizeRow> rows) {
    System.out.println(
        "(a) one node, all policies from empty (pure: median of 3; kernel: one run)");
    System.out.println(
        "| policies | compile ms | render ms | plan ms | dataplane apply ms | of it tools ms"
            + " | floor ms | apply/floor | KiB written |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (NetpolBench.SizeRow r : rows) {
      System.out.printf(
          "| %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %,d |%n",
          r.policies(),
          r.compileMs(),
          r.renderMs(),
          r.planMs(),
          r.applyMs(),
          r.toolsMs(),
          r.floorMs(),
          r.applyMs() / r.floorMs(),
          r.bytes() / 1024);
    }
    System.out.println();
    System.out.println(
        "| policies | rendered here | layout | chains | rules | ipsets | set members |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (NetpolBench.SizeRow r : rows) {
      System.out.printf(
          "| %,d | %,d | netsvc | %s |%n| | | kube-router (estimate) | %s |%n",
          r.policies(), r.rendered(), counts(r.netsvc()), counts(r.kubeRouter()));
    }
  }

  static String counts(Ruleset.Counts c) {
    return String.format("%,d | %,d | %,d | %,d", c.chains(), c.rules(), c.sets(), c.members());
  }

  static void churn(List<NetpolChurn.Row> rows, int reps) {
    System.out.println("(b0) the node loaded from empty (one run each)");
    System.out.println(
        "| rules | policies | rendered here | dataplane apply ms | floor ms | apply/floor | KiB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (NetpolChurn.Row r : rows) {
      System.out.printf(
          "| %,d | %,d | %,d | %,.0f | %,.0f | %.2f | %,d |%n",
          r.rules(),
          r.policies(),
          r.rendered(),
          r.initialApplyMs(),
          r.initialFloorMs(),
          r.initialApplyMs() / r.initialFloorMs(),
          r.initialBytes() / 1024);
    }
    System.out.printf(
        "%n(b1) one pod starts on the node: the node agent's part (median of %d pods)%n", reps);
    System.out.println(
        "| rules | render ms | plan ms | dataplane apply ms | of it tools ms | floor ms"
            + " | apply/floor | bytes written | of it iptables |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (NetpolChurn.Row r : rows) {
      System.out.printf(
          "| %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %,d | %,d |%n",
          r.rules(),
          r.renderMs(),
          r.planMs(),
          r.applyMs(),
          r.toolsMs(),
          r.floorMs(),
          r.applyMs() / r.floorMs(),
          r.bytes(),
          r.iptablesBytes());
    }
    for (NetpolChurn.Row r : rows) {
      System.out.printf("bytes per pod at %,d rules: %s%n", r.rules(), r.bytesPerPod());
    }
    System.out.printf("%n(b2) the same pod: recompiling the policies that read its namespace%n");
    System.out.println(
        "| rules | policies | recompiled | changed | one shared view ms"
            + " | a view per policy (as the actors) ms, 1 run | compile (shared view) + apply ms"
            + " | ÷ floor |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (NetpolChurn.Row r : rows) {
      double total = r.compileSharedMs() + r.applyMs();
      System.out.printf(
          "| %,d | %,d | %,d | %,d | %,.0f | %,.0f | %,.0f | %.1f |%n",
          r.rules(),
          r.policies(),
          r.affected(),
          r.changed(),
          r.compileSharedMs(),
          r.compileActorMs(),
          total,
          total / r.floorMs());
    }
    System.out.printf(
        "%n(b3) versus a full rewrite of the same result (kube-router's way: every chain declared,"
            + " every set swapped in)%n");
    System.out.println(
        "| rules | full: plan ms | full: tools ms (runs) | full KiB | full tools / netsvc apply"
            + " | full bytes / netsvc bytes | Ruleset.dump() ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (NetpolChurn.Row r : rows) {
      System.out.printf(
          "| %,d | %,.0f | %,.0f (%d) | %,d | %.1f | %,.0f | %,.0f |%n",
          r.rules(),
          r.fullPlanMs(),
          r.fullToolsMs(),
          r.fullReps(),
          r.fullBytes() / 1024,
          r.fullToolsMs() / r.applyMs(),
          (double) r.fullBytes() / r.bytes(),
          r.dumpMs());
    }
  }
}
