package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get events} rows: LAST SEEN TYPE REASON OBJECT [SUBOBJECT SOURCE] MESSAGE [FIRST
 * SEEN COUNT NAME]. Reads core/v1 fields and falls back to their events.k8s.io/v1 names.
 */
final class EventPrinter {
  private EventPrinter() {}

  static List<Object> cells(JsonNode ev, Instant now) {
    JsonNode regarding =
        ev.has("involvedObject") ? ev.path("involvedObject") : ev.path("regarding");
    String first =
        firstNonEmpty(
            text(ev, "firstTimestamp"),
            text(ev, "deprecatedFirstTimestamp"),
            text(ev, "eventTime"));
    String last =
        firstNonEmpty(text(ev, "lastTimestamp"), text(ev, "deprecatedLastTimestamp"), first);
    long count = ev.path("count").asLong(ev.path("deprecatedCount").asLong(0));
    JsonNode series = ev.path("series");
    if (series.isObject()) {
      last = firstNonEmpty(text(series, "lastObservedTime"), last);
      count = series.path("count").asLong(count);
    } else if (count == 0) {
      count = 1;
    }
    String kind = regarding.path("kind").asText("").toLowerCase(Locale.ROOT);
    String name = regarding.path("name").asText("");
    JsonNode source = ev.has("source") ? ev.path("source") : ev.path("deprecatedSource");
    String component = firstNonEmpty(text(source, "component"), text(ev, "reportingController"));
    String host = firstNonEmpty(text(source, "host"), text(ev, "reportingInstance"));
    String sourceCell =
        component.isEmpty() ? "" : host.isEmpty() ? component : component + ", " + host;
    return List.of(
        HumanDuration.since(last, now),
        text(ev, "type"),
        text(ev, "reason"),
        name.isEmpty() ? kind : kind + "/" + name,
        regarding.path("fieldPath").asText(""),
        sourceCell,
        firstNonEmpty(text(ev, "message"), text(ev, "note")).trim(),
        HumanDuration.since(first, now),
        count,
        Printers.name(ev));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  private static String firstNonEmpty(String... values) {
    for (String v : values) if (v != null && !v.isEmpty()) return v;
    return "";
  }
}
