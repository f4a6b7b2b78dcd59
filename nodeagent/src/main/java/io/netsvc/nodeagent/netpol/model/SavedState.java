package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the kernel's state that is netsvc's (or kube-router's: same names), read back from
 * {@code iptables-save -t filter} and {@code ipset save} into a {@link Ruleset}. Pass it as the
 * "applied" side of {@link RestorePlan#between(Ruleset, Ruleset, Map)} after a start or a failed
 * apply: the plan then deletes chains and sets left over from before (which planning from {@link
 * Ruleset#EMPTY} cannot see) and rewrites only what differs. Rules are kept as the tool prints
 * them; the renderer writes that form, so an unchanged chain compares equal (a tool printing
 * differently only costs a rewrite of that chain).
 */
public final class SavedState {
  private SavedState() {}

  /** Prefixes of the chains and sets that are ours. */
  static final List<String> CHAIN_PREFIXES =
      List.of("KUBE-ROUTER-", "KUBE-POD-FW-", "KUBE-NWPLCY-");

  static final List<String> SET_PREFIXES =
      List.of(
          KubeRouterNames.SRC_SET_PREFIX,
          KubeRouterNames.DST_SET_PREFIX,
          KubeRouterNames.LOCAL_PODS_SET);

  /**
   * @param iptablesSave per family the {@code iptables-save -t filter} text
   * @param ipsetSave {@code ipset save} (all sets of the host)
   */
  public static Ruleset parse(Map<IpFamily, String> iptablesSave, String ipsetSave) {
    Map<String, String> setType = new LinkedHashMap<>();
    Map<String, String> setOptions = new LinkedHashMap<>();
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String raw : ipsetSave.split("\n")) {
      String[] w = raw.trim().split("\\s+");
      if (w.length < 3 || !ours(w[1])) continue;
      if (w[0].equals("create")) {
        setType.put(w[1], w[2]);
        setOptions.put(w[1], options(w));
        members.put(w[1], new ArrayList<>());
      } else if (w[0].equals("add") && members.containsKey(w[1])) {
        boolean nomatch = List.of(w).contains("nomatch");
        members.get(w[1]).add(w[2] + (nomatch ? " nomatch" : ""));
      }
    }
    Map<IpFamily, Ruleset.Table> tables = new EnumMap<>(IpFamily.class);
    iptablesSave.forEach(
        (f, save) -> {
          Map<String, List<String>> chains = chains(save);
          Map<String, Ruleset.IpSet> sets = new LinkedHashMap<>();
          setType.forEach(
              (name, type) -> {
                if (name.startsWith(KubeRouterNames.IPV6_SET_PREFIX) == (f == IpFamily.IPV6)) {
                  sets.put(name, new Ruleset.IpSet(type, setOptions.get(name), members.get(name)));
                }
              });
          tables.put(f, new Ruleset.Table(chains, sets));
        });
    return new Ruleset(tables);
  }

  private static Map<String, List<String>> chains(String save) {
    Map<String, List<String>> chains = new LinkedHashMap<>();
    for (String line : save.split("\n")) {
      if (line.startsWith(":")) {
        int sp = line.indexOf(' ');
        String name = sp < 0 ? line.substring(1) : line.substring(1, sp);
        if (ourChain(name)) chains.put(name, new ArrayList<>());
      } else if (line.startsWith("-A ")) {
        int sp = line.indexOf(' ', 3);
        if (sp < 0) continue;
        String chain = line.substring(3, sp);
        String rule = line.substring(sp + 1);
        if (ourChain(chain)) {
          chains.computeIfAbsent(chain, k -> new ArrayList<>()).add(rule);
        } else if (Ruleset.BUILTIN_CHAINS.contains(chain) && rule.contains("KUBE-ROUTER")) {
          chains.computeIfAbsent(chain, k -> new ArrayList<>()).add(rule);
        }
      }
    }
    return chains;
  }

  /** Our option string for what {@code ipset save} lists (defaults it adds are dropped). */
  private static String options(String[] w) {
    String joined = " " + String.join(" ", w) + " ";
    boolean timeout = joined.contains(" timeout ");
    boolean v6 = joined.contains(" family inet6 ");
    String out = timeout ? "timeout 0" : "";
    if (v6) out = (out + " family inet6").trim();
    return out;
  }

  private static boolean ourChain(String name) {
    return CHAIN_PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static boolean ours(String set) {
    String base =
        set.startsWith(KubeRouterNames.IPV6_SET_PREFIX)
            ? set.substring(KubeRouterNames.IPV6_SET_PREFIX.length())
            : set;
    return SET_PREFIXES.stream().anyMatch(base::startsWith);
  }
}
