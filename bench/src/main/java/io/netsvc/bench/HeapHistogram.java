package io.netsvc.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class histogram of the live heap, as the JVM's {@code GC.class_histogram} diagnostic command
 * prints it (what {@code jcmd PID GC.class_histogram} shows): per class, instances and shallow
 * bytes, after a full GC. Two of them subtract: what was live in the first and not in the second,
 * per class. Classes of the same name from different class loaders count as one.
 *
 * @param rows by class name
 * @param bytes the histogram's total bytes (the live heap)
 */
record HeapHistogram(Map<String, Row> rows, long bytes) {

  /** One class: instances and bytes (a difference may be negative). */
  record Row(String name, long instances, long bytes) {}

  // "   1:         12345        1234567  [B (java.base@17.0.9)"; the module part is optional
  private static final Pattern ROW =
      Pattern.compile("^\\s*\\d+:\\s+(-?\\d+)\\s+(-?\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");
  private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(-?\\d+)\\s+(-?\\d+)\\s*$");

  /** Parses the command's text; lines it does not know (the header, a ruler) are skipped. */
  static HeapHistogram parse(String text) {
    Map<String, Row> rows = new LinkedHashMap<>();
    long total = -1;
    for (String line : text.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        Row r = new Row(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        rows.merge(
            r.name(),
            r,
            (a, b) -> new Row(a.name(), a.instances() + b.instances(), a.bytes() + b.bytes()));
        continue;
      }
      Matcher t = TOTAL.matcher(line);
      if (t.matches()) total = Long.parseLong(t.group(2));
    }
    if (total < 0) total = rows.values().stream().mapToLong(Row::bytes).sum();
    return new HeapHistogram(rows, total);
  }

  /** Per class, this histogram's instances and bytes minus {@code later}'s. */
  HeapHistogram minus(HeapHistogram later) {
    Map<String, Row> diff = new LinkedHashMap<>();
    TreeSet<String> names = new TreeSet<>(rows.keySet());
    names.addAll(later.rows.keySet());
    Row none = new Row("", 0, 0);
    for (String n : names) {
      Row a = rows.getOrDefault(n, none);
      Row b = later.rows.getOrDefault(n, none);
      if (a.instances() != b.instances() || a.bytes() != b.bytes()) {
        diff.put(n, new Row(n, a.instances() - b.instances(), a.bytes() - b.bytes()));
      }
    }
    return new HeapHistogram(diff, bytes - later.bytes);
  }

  /** These rows only, with the same total: a summary that holds little heap. */
  HeapHistogram keep(List<Row> keep) {
    Map<String, Row> small = new LinkedHashMap<>();
    for (Row r : keep) small.put(r.name(), r);
    return new HeapHistogram(small, bytes);
  }

  /** Bytes of the classes whose names {@code which} accepts. */
  long bytes(Predicate<String> which) {
    return rows.values().stream().filter(r -> which.test(r.name())).mapToLong(Row::bytes).sum();
  }

  /** The {@code n} classes with the most bytes among those {@code which} accepts. */
  List<Row> top(int n, Predicate<String> which) {
    return rows.values().stream()
        .filter(r -> which.test(r.name()))
        .sorted(Comparator.comparingLong(Row::bytes).reversed().thenComparing(Row::name))
        .limit(n)
        .toList();
  }

  /** The {@code n} classes that grew the most (the most negative bytes in a difference). */
  List<Row> grown(int n) {
    return rows.values().stream()
        .filter(r -> r.bytes() < 0)
        .sorted(Comparator.comparingLong(Row::bytes).thenComparing(Row::name))
        .limit(n)
        .toList();
  }

  /** A Markdown table of {@code rows}, with each one's share of {@code of} bytes. */
  static String table(List<Row> rows, long of) {
    List<String> out = new ArrayList<>();
    out.add("| class | instances | KiB | share |");
    out.add("|---|---:|---:|---:|");
    for (Row r : rows) {
      out.add(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f %% |",
              r.name(),
              r.instances(),
              r.bytes() / 1024.0,
              of == 0 ? 0.0 : 100.0 * r.bytes() / of));
    }
    return String.join("\n", out) + "\n";
  }
}
