package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector matching ({@code matchLabels} AND every {@code matchExpressions}
 * entry). An empty selector matches everything. A selector the API server would refuse matches
 * nothing: kube-router treats it as empty (everything), which opens a peer rule wide; netsvc fails
 * closed and the compiler reports why.
 */
public final class Selectors {
  private Selectors() {}

  /** What the API server's validation would say about {@code s}; empty when it is valid. */
  public static List<String> problems(SelectorInfo s) {
    List<String> out = new ArrayList<>();
    for (Requirement r : s.matchExpressions()) {
      String op = r.operator();
      if (r.key() == null || r.key().isEmpty()) out.add("matchExpressions key is empty");
      if ("In".equals(op) || "NotIn".equals(op)) {
        if (r.values().isEmpty()) out.add("operator " + op + " needs values (key " + r.key() + ")");
      } else if ("Exists".equals(op) || "DoesNotExist".equals(op)) {
        if (!r.values().isEmpty()) {
          out.add("operator " + op + " takes no values (key " + r.key() + ")");
        }
      } else {
        out.add("unknown operator \"" + op + "\" (key " + r.key() + ")");
      }
    }
    return out;
  }

  public static boolean isValid(SelectorInfo s) {
    return problems(s).isEmpty();
  }

  /** Whether {@code labels} satisfy {@code s}; false for an invalid selector. */
  public static boolean matches(SelectorInfo s, Map<String, String> labels) {
    for (Map.Entry<String, String> e : s.matchLabels().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    for (Requirement r : s.matchExpressions()) {
      if (!matches(r, labels)) return false;
    }
    return true;
  }

  // each invalid form evaluates to false here, so no separate validation pass per pod
  private static boolean matches(Requirement r, Map<String, String> labels) {
    if (r.key() == null || r.key().isEmpty()) return false;
    String v = labels.get(r.key());
    boolean noValues = r.values().isEmpty();
    return switch (r.operator() == null ? "" : r.operator()) {
      case "In" -> v != null && r.values().contains(v);
      case "NotIn" -> !noValues && (v == null || !r.values().contains(v));
      case "Exists" -> noValues && v != null;
      case "DoesNotExist" -> noValues && v == null;
      default -> false;
    };
  }

  /** True when {@code s} has no terms at all (selects every object). */
  public static boolean isEmpty(SelectorInfo s) {
    return s.matchLabels().isEmpty() && s.matchExpressions().isEmpty();
  }
}
