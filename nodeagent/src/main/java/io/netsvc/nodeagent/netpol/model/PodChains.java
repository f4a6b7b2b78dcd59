package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.COMMON_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.DEFAULT_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.FORWARD_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.INPUT_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.MARK_ALLOWED;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.MARK_OK;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.NFLOG_GROUP;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.OUTPUT_CHAIN;
import static io.netsvc.nodeagent.netpol.model.RuleText.rule;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.model.NodeRuleset.LocalPod;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * One {@code KUBE-POD-FW-*} chain per local pod and family, and the jumps to it from the entry
 * chains. A pod's chain depends only on its IP and the policies selecting it, so pod churn changes
 * that pod's chain, its jumps and set members, nothing else. Policy jumps carry {@code -d}
 * (ingress) or {@code -s} (egress) always, so one direction's rules never judge the other (D2).
 */
final class PodChains {
  private PodChains() {}

  static void render(NodeRuleset n, TableBuilder t) {
    render(n, t, null);
  }

  static void render(NodeRuleset n, TableBuilder t, RenderCache cache) {
    IpFamily f = t.family;
    for (LocalPod lp : n.localPods(f)) {
      String ip = lp.ip(f);
      String key = lp.pod().key();
      String chain = Names.podChain(lp.pod().namespace(), lp.pod().name());
      List<String> own =
          cache == null
              ? rules(lp, ip, f)
              : cache.podRules(
                  new RenderCache.PodKey(
                      key, ip, f, sortedKeys(lp.ingress()), sortedKeys(lp.egress())),
                  () -> rules(lp, ip, f));
      t.chain(chain).addAll(own);
      jumps(lp.pod(), ip, t);
    }
  }

  /** The chain of one pod (in every family: the name does not carry the family). */
  static String chain(NetpolPod pod) {
    return Names.podChain(pod.namespace(), pod.name());
  }

  /** The five jumps from the entry chains to a pod's chain. */
  static void jumps(NetpolPod pod, String ip, TableBuilder t) {
    String key = pod.key();
    String chain = chain(pod);
    String in = key + " in";
    String out = key + " out";
    // pod → node (INPUT), pod ↔ anything routed (FORWARD), node-local sockets (OUTPUT)
    t.chain(INPUT_CHAIN).add(rule().src(ip).comment(out).jump(chain));
    t.chain(FORWARD_CHAIN).add(rule().dst(ip).comment(in).jump(chain));
    t.chain(FORWARD_CHAIN).add(rule().src(ip).comment(out).jump(chain));
    t.chain(OUTPUT_CHAIN).add(rule().dst(ip).comment(in).jump(chain));
    t.chain(OUTPUT_CHAIN).add(rule().src(ip).comment(out).jump(chain));
  }

  static List<String> rules(LocalPod lp, String ip, IpFamily f) {
    String key = lp.pod().key();
    List<String> r = new java.util.ArrayList<>();
    r.add(rule().comment("common netpol rules").jump(COMMON_CHAIN));
    r.add(
        rule()
            .dst(ip)
            .comment("from local node")
            .match("-m addrtype --src-type LOCAL")
            .jump("ACCEPT"));
    if (lp.egress().isEmpty()) r.add(rule().src(ip).comment("default egress").jump(DEFAULT_CHAIN));
    if (lp.ingress().isEmpty())
      r.add(rule().dst(ip).comment("default ingress").jump(DEFAULT_CHAIN));
    TreeMap<String, CompiledPolicy> selecting = new TreeMap<>();
    lp.ingress().forEach(p -> selecting.put(p.key(), p));
    lp.egress().forEach(p -> selecting.put(p.key(), p));
    Set<String> in = keys(lp.ingress());
    Set<String> out = keys(lp.egress());
    for (CompiledPolicy p : selecting.values()) {
      if (in.contains(p.key())) {
        String c = Names.policyChain(p.namespace(), p.name(), Direction.INGRESS, f);
        r.add(rule().dst(ip).comment(p.key() + " ingress policy").jump(c));
      }
      if (out.contains(p.key())) {
        String c = Names.policyChain(p.namespace(), p.name(), Direction.EGRESS, f);
        r.add(rule().src(ip).comment(p.key() + " egress policy").jump(c));
      }
    }
    String notAllowed = StaticChains.markMatch(true, MARK_ALLOWED);
    r.add(
        rule()
            .comment(key + " log-drop")
            .match(notAllowed)
            .match("-m limit --limit 10/min --limit-burst 10")
            .jump("NFLOG --nflog-group " + NFLOG_GROUP));
    r.add(rule().comment(key + " reject").match(notAllowed).jump(StaticChains.reject(f)));
    r.add(rule().jump("MARK --set-xmark 0x0/" + MARK_ALLOWED));
    r.add(rule().comment("set netpol-ok mark").jump("MARK --set-xmark " + MARK_OK + "/" + MARK_OK));
    return r;
  }

  private static List<String> sortedKeys(List<CompiledPolicy> ps) {
    return ps.stream().map(CompiledPolicy::key).sorted().toList();
  }

  private static Set<String> keys(List<CompiledPolicy> ps) {
    return ps.stream().map(CompiledPolicy::key).collect(java.util.stream.Collectors.toSet());
  }
}
