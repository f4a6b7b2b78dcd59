package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code netsvc cleanup-network-policy} removes from a node after {@code
 * --disable-network-policy}: the same rules K3s's documented clean-up ({@code iptables-save | grep
 * -v KUBE-ROUTER | iptables-restore}) drops, but as a {@code --noflush} transaction that names only
 * our chains and rules, so nobody else's rules written in between are reverted; plus our ipsets,
 * which K3s's recipe leaves behind. Pure: text in, text out.
 */
public final class Cleanup {
  private Cleanup() {}

  /** The iptables-restore text ("" when nothing of ours is there) and the ipset script. */
  public record Plan(String iptables, String ipset, int rules, int chains, int sets) {}

  /** Chains netsvc (and kube-router) own. */
  static boolean ours(String chain) {
    return chain.startsWith("KUBE-ROUTER-")
        || chain.startsWith(KubeRouterNames.POD_CHAIN_PREFIX)
        || chain.startsWith(KubeRouterNames.POLICY_CHAIN_PREFIX);
  }

  static boolean ourSet(String set) {
    String name =
        set.startsWith(KubeRouterNames.IPV6_SET_PREFIX)
            ? set.substring(KubeRouterNames.IPV6_SET_PREFIX.length())
            : set;
    return name.startsWith(KubeRouterNames.SRC_SET_PREFIX)
        || name.startsWith(KubeRouterNames.DST_SET_PREFIX)
        || name.startsWith(KubeRouterNames.TMP_SET_PREFIX)
        || name.equals(KubeRouterNames.LOCAL_PODS_SET);
  }

  /**
   * @param filterSave {@code iptables-save -t filter} of one family
   * @param ipsetSave {@code ipset save}, or "" to leave the sets (e.g. for the second family)
   */
  public static Plan plan(String filterSave, String ipsetSave) {
    Set<String> chains = new LinkedHashSet<>();
    List<String> deletes = new ArrayList<>();
    for (String line : filterSave.split("\n")) {
      if (line.startsWith(":")) {
        String name = line.substring(1).split(" ", 2)[0];
        if (ours(name)) chains.add(name);
      }
    }
    for (String line : filterSave.split("\n")) {
      if (!line.startsWith("-A ")) continue;
      String chain = line.substring(3).split(" ", 2)[0];
      if (ours(chain)) continue; // goes with its chain
      if (line.contains("KUBE-ROUTER") || jumpsToOurs(line, chains)) {
        deletes.add("-D" + line.substring(2));
      }
    }
    StringBuilder ipt = new StringBuilder();
    if (!chains.isEmpty() || !deletes.isEmpty()) {
      ipt.append("*filter\n");
      deletes.forEach(d -> ipt.append(d).append('\n'));
      chains.forEach(c -> ipt.append(':').append(c).append(" - [0:0]\n"));
      chains.forEach(c -> ipt.append("-X ").append(c).append('\n'));
      ipt.append("COMMIT\n");
    }
    List<String> sets = new ArrayList<>();
    for (String line : ipsetSave.split("\n")) {
      String[] w = line.trim().split("\\s+");
      if (w.length >= 2 && w[0].equals("create") && ourSet(w[1])) sets.add(w[1]);
    }
    StringBuilder ips = new StringBuilder();
    sets.forEach(s -> ips.append("flush ").append(s).append('\n'));
    sets.forEach(s -> ips.append("destroy ").append(s).append('\n'));
    return new Plan(ipt.toString(), ips.toString(), deletes.size(), chains.size(), sets.size());
  }

  private static boolean jumpsToOurs(String line, Set<String> chains) {
    String[] w = line.split("\\s+");
    for (int i = 0; i + 1 < w.length; i++) {
      if ((w[i].equals("-j") || w[i].equals("-g")) && chains.contains(w[i + 1])) return true;
    }
    return false;
  }
}
