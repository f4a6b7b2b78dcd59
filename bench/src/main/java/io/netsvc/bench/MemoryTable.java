package io.netsvc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The memory benchmark's result: retained heap per entity kind against the goal. */
final class MemoryTable {
  private MemoryTable() {}

  /** The goal per Service, Node or NetworkPolicy entity (issue 11): 2 KiB. */
  static final long GOAL_BYTES = 2048;

  /**
   * One entity kind: how many entities were live, and the live heap that went away when they were
   * stopped (the first histogram minus the second).
   *
   * @param kind the sharding type name, e.g. ServiceLbService
   * @param actor the actor class, e.g. ServiceActor
   * @param goal whether the 2 KiB goal applies (Services, Nodes, Policies)
   */
  record Kind(String kind, String actor, long entities, long retainedBytes, boolean goal) {
    /** Bytes per entity; NaN without entities. */
    double perEntity() {
      return entities == 0 ? Double.NaN : retainedBytes / (double) entities;
    }

    /** "ok", "OVER", or "-" where the goal does not apply or nothing was measured. */
    String verdict() {
      if (!goal || entities == 0) return "-";
      return perEntity() <= GOAL_BYTES ? "ok" : "OVER";
    }
  }

  /** A Markdown table, one row per kind and a row for all of them. */
  static String table(List<Kind> kinds) {
    List<String> out = new ArrayList<>();
    out.add("| entity kind | actor | entities | retained KiB | bytes/entity | goal ≤ 2048 B |");
    out.add("|---|---|---:|---:|---:|---|");
    long entities = 0;
    long bytes = 0;
    for (Kind k : kinds) {
      out.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f | %s | %s |",
              k.kind(),
              k.actor(),
              k.entities(),
              k.retainedBytes() / 1024.0,
              perEntity(k.perEntity()),
              k.verdict()));
      entities += k.entities();
      bytes += k.retainedBytes();
    }
    out.add(
        String.format(
            Locale.ROOT,
            "| all | | %d | %.1f | %s | |",
            entities,
            bytes / 1024.0,
            perEntity(entities == 0 ? Double.NaN : bytes / (double) entities)));
    return String.join("\n", out) + "\n";
  }

  private static String perEntity(double b) {
    return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.0f", b);
  }
}
