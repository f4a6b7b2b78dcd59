package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.MARK_ALLOWED;
import static io.netsvc.nodeagent.netpol.model.RuleText.rule;

import io.netsvc.actors.netpol.model.CidrPeer;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.CompiledRule;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.netpol.model.NamedGroup;
import io.netsvc.actors.netpol.model.PortMatch;
import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One {@code KUBE-NWPLCY-*} chain per policy, direction and family, holding only allow rules: each
 * marks {@code 0x10000} and returns. The chain is only ever entered from the pod chain of a
 * selected pod with the matching {@code -d}/{@code -s}, so the target side needs no set match; the
 * peer side matches one set per kind of peer: the selected pods, each ipBlock on its own (D4/D5),
 * and per named-port group the pods that expose it (D7/D8).
 */
final class PolicyChains {
  private PolicyChains() {}

  static final String MARK = "MARK --set-xmark " + MARK_ALLOWED + "/" + MARK_ALLOWED;

  /** Follows every MARK rule: a packet one rule allowed leaves the chain at once. */
  static final String RETURN_IF_ALLOWED =
      StaticChains.markMatch(false, MARK_ALLOWED) + " -j RETURN";

  static void render(NodeRuleset n, TableBuilder t) {
    render(n, t, null);
  }

  static void render(NodeRuleset n, TableBuilder t, RenderCache cache) {
    for (CompiledPolicy p : n.policies()) {
      if (cache == null) {
        render(n, p, t);
        continue;
      }
      RenderCache.Key key =
          new RenderCache.Key(
              new RenderCache.Identity(p),
              t.family,
              p.governs(Direction.INGRESS) && n.needsChain(p, Direction.INGRESS, t.family),
              p.governs(Direction.EGRESS) && n.needsChain(p, Direction.EGRESS, t.family),
              n.localIps(t.family));
      Ruleset.Table done = cache.get(key);
      if (done == null) {
        TableBuilder own = new TableBuilder(t.family);
        render(n, p, own);
        done = own.build();
        cache.put(key, done);
      }
      t.merge(done);
    }
  }

  private static void render(NodeRuleset n, CompiledPolicy p, TableBuilder t) {
    IpFamily f = t.family;
    render(
        p,
        n.needsChain(p, Direction.INGRESS, f),
        n.needsChain(p, Direction.EGRESS, f),
        n.localIps(f),
        t);
  }

  /**
   * One policy's chains and sets in {@code t}'s family.
   *
   * @param ingress whether a local pod chain of this family jumps to its ingress chain
   * @param egress likewise for egress
   * @param localIps the node's local pod IPs in this family (ingress named-port sets keep only
   *     those)
   */
  static void render(
      CompiledPolicy p, boolean ingress, boolean egress, Set<String> localIps, TableBuilder t) {
    for (Direction d : Direction.values()) {
      boolean needed = d == Direction.INGRESS ? ingress : egress;
      if (!p.governs(d) || !needed) continue;
      List<String> chain = t.chain(Names.policyChain(p.namespace(), p.name(), d, t.family));
      for (CompiledRule r : p.rules(d)) {
        if (!r.allowsNothing()) allow(localIps, p, d, r, t, chain);
      }
    }
  }

  private static void allow(
      Set<String> local,
      CompiledPolicy p,
      Direction d,
      CompiledRule r,
      TableBuilder t,
      List<String> chain) {
    IpFamily f = t.family;
    String side = d == Direction.INGRESS ? " src" : " dst";
    String base = p.key() + " " + d.word();
    List<String[]> peers = new ArrayList<>(); // {match, comment}
    if (r.anyPeer()) peers.add(new String[] {"", base + " any"});
    if (r.podPeers()) {
      String set = Names.podPeerSet(p.namespace(), p.name(), d, r.index(), f);
      t.set(set, TableBuilder.HASH_IP, r.peerIps().get(f));
      peers.add(new String[] {"-m set --match-set " + set + side, base + " pods"});
    }
    for (CidrPeer c : r.cidrPeers(f)) {
      String set = Names.ipBlockSet(p.namespace(), p.name(), d, r.index(), c.peer(), f);
      t.set(set, TableBuilder.HASH_NET, TableBuilder.cidrMembers(c));
      peers.add(new String[] {"-m set --match-set " + set + side, base + " cidr"});
    }
    if (r.anyPort()) {
      for (String[] peer : peers) chain.addAll(pair(null, peer[1], peer[0], ""));
    }
    for (PortMatch m : r.ports()) {
      for (String[] peer : peers) chain.addAll(pair(m.protocol(), peer[1], peer[0], port(m)));
    }
    for (NamedGroup g : r.namedGroups()) {
      String set =
          Names.namedPortSet(p.namespace(), p.name(), d, r.index(), g.protocol(), g.port(), f);
      List<String> pods = g.pods().get(f);
      if (d == Direction.INGRESS) {
        // the chain only ever judges traffic to local pods: remote ones need not churn this set
        pods = pods.stream().filter(local::contains).toList();
      }
      t.set(set, TableBuilder.HASH_IP, pods);
      String np = "-m set --match-set " + set + " dst";
      String port = port(new PortMatch(g.protocol(), g.port(), g.port()));
      if (d == Direction.INGRESS) {
        // the name is the target's port: any of the rule's peers, to the pods exposing it
        for (String[] peer : peers) {
          chain.addAll(pair(g.protocol(), peer[1] + " np", join(peer[0], np), port));
        }
      } else {
        // the name is the peer's port: the set already holds only peers that expose it
        chain.addAll(pair(g.protocol(), base + " np", np, port));
      }
    }
  }

  private static List<String> pair(String proto, String comment, String peer, String port) {
    RuleText r = rule().proto(proto).comment(comment).match(peer).match(port);
    return List.of(r.jump(MARK), RETURN_IF_ALLOWED);
  }

  /** {@code -m tcp --dport 80} or {@code 80:90}; empty for "every port of the protocol". */
  static String port(PortMatch m) {
    if (m.allPorts()) return "";
    String range = m.from() == m.to() ? "" + m.from() : m.from() + ":" + m.to();
    return "-m " + m.protocol() + " --dport " + range;
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + " " + b;
  }
}
