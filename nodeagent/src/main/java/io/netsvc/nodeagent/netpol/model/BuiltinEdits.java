package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps netsvc's rules in a built-in chain (INPUT, FORWARD or OUTPUT) right without touching anyone
 * else's: the jump to the entry chain exactly once and at position 1 (kube-proxy prepends its own
 * jumps and pushes it down, so this is re-checked, as kube-router does every sync), the K3s ACCEPT
 * of {@code 0x20000} exactly once, inserted after the last rule mentioning {@code KUBE} so
 * kube-proxy's firewall chains run first, and any other rule with {@code KUBE-ROUTER} in its text
 * (a stale one, or all of ours when nothing is wanted) deleted.
 */
final class BuiltinEdits {
  private BuiltinEdits() {}

  /**
   * @param current the chain's rules: the live listing (every component's rules, in order), or,
   *     when {@code live} is false, what netsvc applied there before (its own rules only)
   * @param wanted netsvc's rules for the chain: the entry jump first, then the ACCEPT; or none
   * @return {@code -D}/{@code -I}/{@code -A} lines; empty when the chain is already right
   */
  static List<String> plan(String chain, List<String> current, List<String> wanted, boolean live) {
    List<String> sim = new ArrayList<>();
    String head = "-A " + chain + " ";
    for (String r : current) sim.add(r.startsWith(head) ? r.substring(head.length()) : r);
    List<String> out = new ArrayList<>();
    for (String r : List.copyOf(sim)) {
      if (r.contains("KUBE-ROUTER") && !wanted.contains(r)) delete(chain, r, sim, out);
    }
    if (wanted.isEmpty()) return out;
    String jump = wanted.get(0);
    int jumps = Collections.frequency(sim, jump);
    if (jumps != 1 || !sim.get(0).equals(jump)) {
      for (int i = 0; i < jumps; i++) delete(chain, jump, sim, out);
      out.add("-I " + chain + " 1 " + jump);
      sim.add(0, jump);
    }
    for (String w : wanted.subList(1, wanted.size())) {
      int n = Collections.frequency(sim, w);
      for (; n > 1; n--) delete(chain, w, sim, out);
      if (n == 1) continue; // K3s leaves a present ACCEPT where it is
      if (!live) {
        out.add("-A " + chain + " " + w); // position unknown: the end is the safe side
        sim.add(w);
        continue;
      }
      int last = 0;
      for (int i = 0; i < sim.size(); i++) if (sim.get(i).contains("KUBE")) last = i;
      out.add("-I " + chain + " " + (last + 2) + " " + w);
      sim.add(last + 1, w);
    }
    return out;
  }

  private static void delete(String chain, String rule, List<String> sim, List<String> out) {
    out.add("-D " + chain + " " + rule);
    sim.remove(rule);
  }
}
