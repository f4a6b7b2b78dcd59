package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.CidrPeer;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.CompiledRule;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.netpol.model.NamedGroup;
import io.netsvc.config.ip.IpFamily;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What kube-router v2.6.3-k3s1 would program for the same node and cluster (its layout and cost
 * model, docs/k3s-and-kube-router.md), as counts, for comparing layouts in benchmarks and on the
 * inspection route. An estimate in the places where kube-router's output depends on informer order
 * or resolves named ports differently (D7/D8); exact for the fixed parts.
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
   * @param all every policy of the cluster: kube-router renders each on every node (D14)
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
            combos += d == Direction.INGRESS ? ports : numeric; // egress drops named ports (D8)
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
}
