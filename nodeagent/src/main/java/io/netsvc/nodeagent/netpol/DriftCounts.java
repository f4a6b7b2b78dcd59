package io.netsvc.nodeagent.netpol;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the kernel still holds our ruleset, by counts: each of our chains with its number of
 * rules (a built-in chain at least ours, others' rules may precede or follow), each of our sets
 * with its number of members. Pure: the kernel's listings are read elsewhere and passed in.
 */
final class DriftCounts {
  private DriftCounts() {}

  /**
   * True when one of our chains is missing from {@code kernelRules} or has another rule count, or
   * one of our sets is missing from {@code kernelSets} or has another size.
   *
   * @param ours per family, our chains and sets as applied
   * @param kernelRules per family, the kernel's rule count per chain ({@link #ruleCounts})
   * @param kernelSets every set's member count
   */
  static boolean drifted(
      Ruleset ours,
      Map<IpFamily, Map<String, Integer>> kernelRules,
      Map<String, Integer> kernelSets) {
    for (Map.Entry<IpFamily, Ruleset.Table> t : ours.tables().entrySet()) {
      Map<String, Integer> kernel = kernelRules.getOrDefault(t.getKey(), Map.of());
      if (chainsDrifted(t.getValue().chains(), kernel)) return true;
      if (setsDrifted(t.getValue().sets(), kernelSets)) return true;
    }
    return false;
  }

  static boolean chainsDrifted(Map<String, List<String>> ours, Map<String, Integer> kernel) {
    for (Map.Entry<String, List<String>> e : ours.entrySet()) {
      Integer n = kernel.get(e.getKey());
      if (Ruleset.BUILTIN_CHAINS.contains(e.getKey())) {
        if (n == null || n < e.getValue().size()) return true;
      } else if (n == null || n != e.getValue().size()) {
        return true;
      }
    }
    return false;
  }

  static boolean setsDrifted(Map<String, Ruleset.IpSet> ours, Map<String, Integer> kernel) {
    for (Map.Entry<String, Ruleset.IpSet> e : ours.entrySet()) {
      Integer n = kernel.get(e.getKey());
      if (n == null || n != e.getValue().members().size()) return true;
    }
    return false;
  }

  /** Chain → its number of rules in an {@code iptables-save} listing (declared chains count 0). */
  static Map<String, Integer> ruleCounts(String save) {
    Map<String, Integer> out = new HashMap<>();
    for (String line : save.split("\n")) {
      if (line.startsWith(":")) {
        int space = line.indexOf(' ');
        out.putIfAbsent(space < 0 ? line.substring(1) : line.substring(1, space), 0);
      } else if (line.startsWith("-A ")) {
        int space = line.indexOf(' ', 3);
        out.merge(space < 0 ? line.substring(3) : line.substring(3, space), 1, Integer::sum);
      }
    }
    return out;
  }
}
