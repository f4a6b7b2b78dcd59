package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Server-side table rows as Kubernetes' own printers ({@code pkg/printers/internalversion}) produce
 * them, for the kinds a netsvc user looks at; everything else gets NAME and AGE. Columns with
 * priority 1 are the ones {@code -o wide} adds.
 */
final class Printers {
  /** A column definition of a meta.k8s.io Table. */
  record Column(String name, String type, String format, int priority) {}

  /** The columns and the cell function of one kind. */
  record Printer(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cells) {}

  private static final Column NAME = new Column("Name", "string", "name", 0);
  private static final Column AGE = col("Age");

  static final Printer GENERIC =
      new Printer(List.of(NAME, AGE), (o, now) -> List.of(name(o), age(o, now)));

  private static final Map<String, Printer> BY_KIND =
      Map.of(
          "Service",
              new Printer(
                  List.of(
                      NAME,
                      col("Type"),
                      col("Cluster-IP"),
                      col("External-IP"),
                      col("Port(s)"),
                      AGE,
                      wide("Selector")),
                  ServicePrinter::cells),
          "Node",
              new Printer(
                  List.of(
                      NAME,
                      col("Status"),
                      col("Roles"),
                      AGE,
                      col("Version"),
                      wide("Internal-IP"),
                      wide("External-IP"),
                      wide("OS-Image"),
                      wide("Kernel-Version"),
                      wide("Container-Runtime")),
                  NodePodPrinter::node),
          "Pod",
              new Printer(
                  List.of(
                      NAME,
                      col("Ready"),
                      col("Status"),
                      col("Restarts"),
                      AGE,
                      wide("IP"),
                      wide("Node"),
                      wide("Nominated Node"),
                      wide("Readiness Gates")),
                  NodePodPrinter::pod),
          "DaemonSet",
              new Printer(
                  List.of(
                      NAME,
                      integer("Desired"),
                      integer("Current"),
                      integer("Ready"),
                      integer("Up-to-date"),
                      integer("Available"),
                      col("Node Selector"),
                      AGE,
                      wide("Containers"),
                      wide("Images"),
                      wide("Selector")),
                  WorkloadPrinter::daemonSet),
          "Deployment",
              new Printer(
                  List.of(
                      NAME,
                      col("Ready"),
                      integer("Up-to-date"),
                      integer("Available"),
                      AGE,
                      wide("Containers"),
                      wide("Images"),
                      wide("Selector")),
                  WorkloadPrinter::deployment),
          "Event",
              new Printer(
                  List.of(
                      col("Last Seen"),
                      col("Type"),
                      col("Reason"),
                      col("Object"),
                      wide("Subobject"),
                      wide("Source"),
                      col("Message"),
                      wide("First Seen"),
                      new Column("Count", "integer", "", 1),
                      new Column("Name", "string", "name", 1)),
                  EventPrinter::cells),
          "Namespace",
              new Printer(
                  List.of(NAME, col("Status"), AGE),
                  (o, now) ->
                      List.of(
                          name(o), o.path("status").path("phase").asText("Active"), age(o, now))),
          "ConfigMap",
              new Printer(
                  List.of(NAME, integer("Data"), AGE),
                  (o, now) ->
                      List.of(
                          name(o),
                          o.path("data").size() + o.path("binaryData").size(),
                          age(o, now))),
          "Secret",
              new Printer(
                  List.of(NAME, col("Type"), integer("Data"), AGE),
                  (o, now) ->
                      List.of(
                          name(o),
                          o.path("type").asText("Opaque"),
                          o.path("data").size(),
                          age(o, now))));

  private Printers() {}

  static Printer forKind(String kind) {
    return BY_KIND.getOrDefault(kind, GENERIC);
  }

  static String name(JsonNode o) {
    return o.path("metadata").path("name").asText("");
  }

  static String age(JsonNode o, Instant now) {
    return HumanDuration.since(o.path("metadata").path("creationTimestamp").asText(""), now);
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  /** {@code labels.FormatLabels}: sorted k=v pairs, {@code <none>} when empty. */
  static String formatLabels(JsonNode map) {
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }

  /** {@code metav1.FormatLabelSelector}; {@code empty} is what an empty selector prints as. */
  static String formatSelector(JsonNode selector, String empty) {
    List<String> parts = new ArrayList<>();
    Map<String, String> labels = new TreeMap<>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    labels.forEach((k, v) -> parts.add(k + "=" + v));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      TreeSet<String> values = new TreeSet<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      String op = expr.path("operator").asText();
      switch (op) {
        case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
        case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
        case "Exists" -> parts.add(key);
        case "DoesNotExist" -> parts.add("!" + key);
        default -> parts.add(key + " " + op);
      }
    }
    return parts.isEmpty() ? empty : String.join(",", parts);
  }

  private static Column col(String name) {
    return new Column(name, "string", "", 0);
  }

  private static Column wide(String name) {
    return new Column(name, "string", "", 1);
  }

  private static Column integer(String name) {
    return new Column(name, "integer", "", 0);
  }
}
