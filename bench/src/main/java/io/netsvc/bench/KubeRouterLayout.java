package io.netsvc.bench;

import io.netsvc.actors.netpol.model.CidrPeer;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.CompiledRule;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.netpol.model.NamedGroup;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.model.KubeRouterNames;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What kube-router v2.6.3-k3s1 would program for the same node and cluster, as counts, for
 * comparing layouts in the benchmarks; and its per-sync versioned chain names. An estimate where
 * kube-router's output depends on informer order or resolves named ports differently; exact for the
 * fixed parts.
 */
public final class KubeRouterLayout {
  private KubeRouterLayout() {}

  /** Both families of the node together. */
  public static Ruleset.Counts counts(NodeRuleset n, Collection<CompiledPolicy> all) {
    Ruleset.Counts c = new Ruleset.Counts(0, 0, 0, 0);
    for (IpFamily f : n.node().families()) c = c.plus(counts(n, all, f));
    return c;
  }

  /**
   * @param all every policy of the cluster: kube-router renders each on every node, even one that
   *     hosts none of its pods
   */
  public static Ruleset.Counts counts(NodeRuleset n, Collection<CompiledPolicy> all, IpFamily f) {
    int pods = n.localPods(f).size();
    int chains = 5 + pods + all.size(); // 3 entry chains, DEFAULT, COMMON
    int rules = 3 + 3 + 1 + (f == IpFamily.IPV6 ? 8 : 5); // jumps, K3s ACCEPTs, DEFAULT, COMMON
    rules += n.node().serviceCidrs(f).size() + (n.node().nodePortRange() != null ? 2 : 0);
    for (NodeRuleset.LocalPod lp : n.localPods(f)) {
      Set<String> selecting = new HashSet<>();
      lp.ingress().forEach(p -> selecting.add(p.key()));
      lp.egress().forEach(p -> selecting.add(p.key()));
      int defaults = (lp.ingress().isEmpty() ? 1 : 0) + (lp.egress().isEmpty() ? 1 : 0);
      rules += 7 + 8 + defaults + selecting.size(); // a "both" policy gets one jump
    }
    int sets = 0;
    int members = 0;
    for (CompiledPolicy p : all) {
      rules += 1; // the K3s fork's per-policy NFLOG
      for (Direction d : Direction.values()) {
        if (!p.governs(d)) continue;
        sets++; // the target set (DST for ingress, SRC for egress)
        members += p.targetIps().get(f).size();
        for (CompiledRule r : p.rules(d)) {
          int ports = r.anyPort() ? 1 : r.ports().size() + r.namedGroups().size();
          int numeric = r.anyPort() ? 1 : r.ports().size();
          int peerIps = r.peerIps().get(f).size();
          int combos = 0;
          if (peerIps > 0) {
            combos += ports;
            sets++;
            members += peerIps;
          }
          if (r.anyPeer()) combos += ports;
          if (!r.cidrPeers(f).isEmpty()) {
            combos += d == Direction.INGRESS ? ports : numeric; // egress drops named ports
            sets++;
            for (CidrPeer c : r.cidrPeers(f)) members += 1 + c.except().size();
          }
          for (NamedGroup g : r.namedGroups()) {
            sets++;
            members += g.pods().get(f).size();
          }
          rules += 2 * combos; // MARK + RETURN per combination
        }
      }
    }
    return new Ruleset.Counts(chains, rules, sets, members);
  }

  /**
   * {@code KUBE-NWPLCY-} + H(ns + name + version + family), {@code version} being kube-router's
   * per-sync UnixNano: a new chain name on every full sync (netsvc's names are stable).
   */
  public static String policyChain(String ns, String name, String version, IpFamily f) {
    return KubeRouterNames.POLICY_CHAIN_PREFIX
        + KubeRouterNames.hash(ns + name + version + f.kubernetesName());
  }

  /** {@code KUBE-POD-FW-} + H(ns + pod + version); the same name in both families. */
  public static String podChain(String ns, String pod, String version) {
    return KubeRouterNames.POD_CHAIN_PREFIX + KubeRouterNames.hash(ns + pod + version);
  }
}
