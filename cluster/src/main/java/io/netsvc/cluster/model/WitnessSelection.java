package io.netsvc.cluster.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which pods are netsvc's controller members, for the pod witness: those in {@code namespace} whose
 * labels include every pair of {@code labels}; their member's container is {@code container} (else
 * a pod's only container), listening on the container port named {@code portName}.
 */
public record WitnessSelection(
    String namespace, Map<String, String> labels, String container, String portName) {

  public WitnessSelection {
    labels = Map.copyOf(labels);
  }

  /**
   * Reads an equality-based label selector, {@code key=value} pairs separated by commas ({@code ==}
   * is accepted for {@code =}, as kubectl does).
   *
   * @throws IllegalArgumentException for anything else (set-based selectors, an empty selector: the
   *     witness must never watch every pod of its namespace as if all were netsvc's)
   */
  public static Map<String, String> parseSelector(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      int eq = p.indexOf('=');
      String key = eq < 0 ? "" : p.substring(0, eq).strip();
      String value = eq < 0 ? "" : p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1).strip();
      if (key.isEmpty() || key.endsWith("!") || value.contains("=") || value.contains(" ")) {
        throw new IllegalArgumentException(
            "pod selector '" + text + "': write key=value pairs separated by commas");
      }
      out.put(key, value);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "pod selector '" + text + "' is empty: it must select only netsvc's controller pods");
    }
    return out;
  }

  /** Whether a pod in {@code ns} with {@code podLabels} is one of netsvc's controllers. */
  public boolean selects(String ns, Map<String, String> podLabels) {
    if (!namespace.equals(ns)) return false;
    Map<String, String> have = podLabels == null ? Map.of() : podLabels;
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }
}
