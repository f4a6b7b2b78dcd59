package io.netsvc.nodeagent.netpol.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream e2e reachability matrix: every pod to every pod, true unless a case says otherwise.
 * Pods are named {@code ns/pod} (x/a … z/c). Loopback pairs are ignored, as upstream does.
 */
final class Truth {
  static final List<String> NAMESPACES = List.of("x", "y", "z");
  static final List<String> PODS = List.of("a", "b", "c");
  static final List<String> ALL = all();

  private final Map<String, Boolean> cells = new LinkedHashMap<>();

  Truth(boolean initial) {
    for (String from : ALL) for (String to : ALL) cells.put(from + ">" + to, initial);
  }

  private static List<String> all() {
    List<String> out = new ArrayList<>();
    for (String ns : NAMESPACES) for (String p : PODS) out.add(ns + "/" + p);
    return List.copyOf(out);
  }

  /** {@code from}/{@code to}: a pod "x/a", a namespace "x/*", or "*". */
  Truth expect(String from, String to, boolean allowed) {
    for (String f : ALL) {
      if (!matches(from, f)) continue;
      for (String t : ALL) if (matches(to, t)) cells.put(f + ">" + t, allowed);
    }
    return this;
  }

  private static boolean matches(String pattern, String pod) {
    if (pattern.equals("*")) return true;
    if (pattern.endsWith("/*")) return pod.startsWith(pattern.substring(0, pattern.length() - 1));
    return pattern.equals(pod);
  }

  boolean allowed(String from, String to) {
    return cells.get(from + ">" + to);
  }

  /** The pairs where {@code observed} differs, loopback ignored; empty when they agree. */
  List<String> differences(Truth observed) {
    List<String> out = new ArrayList<>();
    for (String f : ALL) {
      for (String t : ALL) {
        if (f.equals(t)) continue;
        boolean want = allowed(f, t);
        if (observed.allowed(f, t) != want) {
          out.add(f + " -> " + t + ": expected " + (want ? "allowed" : "denied"));
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("      ");
    for (String t : ALL) b.append(t).append(' ');
    b.append('\n');
    for (String f : ALL) {
      b.append(f).append("   ");
      for (String t : ALL) b.append(f.equals(t) ? " -  " : allowed(f, t) ? " .  " : " X  ");
      b.append('\n');
    }
    return b.toString();
  }
}
