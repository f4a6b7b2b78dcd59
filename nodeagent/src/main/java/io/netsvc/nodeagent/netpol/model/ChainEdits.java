package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-place edit of one user chain: {@code -D} the rules that went away (by spec, which iptables
 * matches against the first equal rule), then {@code -I <n>} the new ones at their final position.
 * Used when it is shorter than flushing and refilling the chain, and only when the rules that stay
 * keep their relative order (otherwise the chain is rewritten).
 */
final class ChainEdits {
  private ChainEdits() {}

  /**
   * The edit lines turning {@code applied} into {@code wanted}, or null when rewriting the chain
   * ({@code :chain} + every rule) is as short or the kept rules changed order.
   */
  static List<String> edit(String chain, List<String> applied, List<String> wanted) {
    Map<String, Integer> need = counts(wanted);
    Map<String, Integer> have = counts(applied);
    List<String> cur = new ArrayList<>(applied);
    List<String> out = new ArrayList<>();
    for (String line : applied) {
      int h = have.get(line);
      if (h > need.getOrDefault(line, 0)) {
        out.add("-D " + chain + " " + line);
        cur.remove(line); // as iptables does: the first equal rule
        have.put(line, h - 1);
      }
    }
    Map<String, Integer> placed = counts(cur);
    for (int i = 0; i < wanted.size(); i++) {
      String w = wanted.get(i);
      if (i < cur.size() && cur.get(i).equals(w)) continue;
      if (placed.getOrDefault(w, 0) >= need.get(w)) return null; // a kept rule moved
      cur.add(i, w);
      placed.merge(w, 1, Integer::sum);
      out.add("-I " + chain + " " + (i + 1) + " " + w);
    }
    if (cur.size() != wanted.size()) return null;
    return out.size() < wanted.size() + 1 ? out : null;
  }

  static Map<String, Integer> counts(List<String> lines) {
    Map<String, Integer> m = new HashMap<>();
    for (String l : lines) m.merge(l, 1, Integer::sum);
    return m;
  }
}
