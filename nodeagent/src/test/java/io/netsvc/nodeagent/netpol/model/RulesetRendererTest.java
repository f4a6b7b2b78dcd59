package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.block;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shape of what is rendered: kube-router's layout, with netsvc's fixes. */
class RulesetRendererTest {
  static final Set<String> TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "REJECT", "MARK", "NFLOG");

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void everyJumpAndEverySetMatchResolvesWithinItsFamily(IpFamily f) {
    Ruleset.Table t = RestorePlanTest.shop().policy(blocks()).render(ModelCluster.N1).table(f);
    for (Map.Entry<String, List<String>> e : t.chains().entrySet()) {
      assertThat(e.getKey()).hasSizeLessThanOrEqualTo(28);
      for (String rule : e.getValue()) {
        String target = Kernel.target(rule);
        assertThat(TARGETS.contains(target) || t.chains().containsKey(target)).as(rule).isTrue();
        List<String> tok = Kernel.Tok.split(rule);
        for (int i = 0; i < tok.size(); i++) {
          if (tok.get(i).equals("--match-set")) assertThat(t.sets()).containsKey(tok.get(i + 1));
        }
      }
    }
    assertThat(t.sets().keySet())
        .allMatch(n -> n.length() <= 31 && n.startsWith("inet6:") == (f == IpFamily.IPV6));
  }

  /** K3s's documented clean-up must leave no rule of ours in a path packets take. */
  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void k3sCleanupGrepRemovesEveryRuleOfOursFromTheBuiltInChains(IpFamily f) {
    Ruleset.Table t = RestorePlanTest.shop().render(ModelCluster.N1).table(f);
    List<String> save = new ArrayList<>();
    t.chains().forEach((c, rules) -> save.add(":" + c + " - [0:0]"));
    t.chains().forEach((c, rules) -> rules.forEach(r -> save.add("-A " + c + " " + r)));
    List<String> kept = save.stream().filter(l -> !l.contains("KUBE-ROUTER")).toList();
    for (String b : Ruleset.BUILTIN_CHAINS) {
      assertThat(t.chain(b)).isNotEmpty();
      assertThat(kept).noneMatch(l -> l.startsWith("-A " + b + " "));
    }
    assertThat(kept).noneMatch(l -> l.contains(":KUBE-ROUTER-"));
  }

  @Test
  void aPodChainJudgesBothDirectionsThenRejectsWhatNoChainMarked() {
    ModelCluster cluster =
        EnforcementTest.cluster()
            .policy(policy("x", "in", sel("pod", "a"), List.of("Ingress"), null, null));
    Ruleset.Table t = cluster.render(ModelCluster.N1).table(IpFamily.IPV4);
    List<String> chain = t.chain(Names.podChain("x", "a"));
    assertThat(chain).hasSize(8);
    assertThat(chain.get(0)).endsWith("-j KUBE-NWPLCY-COMMON");
    assertThat(chain.get(1))
        .startsWith("-d 10.42.0.10/32")
        .contains("--src-type LOCAL")
        .endsWith("-j ACCEPT");
    assertThat(chain.get(2)).startsWith("-s 10.42.0.10/32").endsWith("-j KUBE-NWPLCY-DEFAULT");
    assertThat(chain.get(3))
        .startsWith("-d 10.42.0.10/32")
        .endsWith("-j " + Names.policyChain("x", "in", Direction.INGRESS, IpFamily.IPV4));
    assertThat(chain.get(4))
        .contains("! --mark 0x10000/0x10000")
        .endsWith("-j NFLOG --nflog-group 100");
    assertThat(chain.get(5)).contains("! --mark 0x10000/0x10000").contains("-j REJECT");
    assertThat(chain.get(6)).isEqualTo("-j MARK --set-xmark 0x0/0x10000");
    assertThat(chain.get(7)).endsWith("-j MARK --set-xmark 0x20000/0x20000");
    // a deny-all direction: its chain exists and holds no rule
    assertThat(t.chain(Names.policyChain("x", "in", Direction.INGRESS, IpFamily.IPV4))).isEmpty();
    assertThat(t.chains())
        .containsKey(Names.policyChain("x", "in", Direction.INGRESS, IpFamily.IPV4));
  }

  /**
   * Lines as iptables 1.8.9 (nft and legacy) saved them back: an unchanged chain compares equal.
   */
  @Test
  void rulesAreWrittenInTheFormIptablesSavePrints() {
    ModelCluster cluster =
        EnforcementTest.cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    List.of("Ingress"),
                    List.of(rule(List.of(ModelCluster.podPeer("pod", "b")), tcp("80"))),
                    null));
    Ruleset.Table t = cluster.render(ModelCluster.N1).table(IpFamily.IPV4);
    String peers = Names.podPeerSet("x", "p", Direction.INGRESS, 0, IpFamily.IPV4);
    assertThat(t.chain(Names.policyChain("x", "p", Direction.INGRESS, IpFamily.IPV4)))
        .containsExactly(
            "-p tcp -m comment --comment \"x/p ingress pods\" -m set --match-set "
                + peers
                + " src -m tcp --dport 80 -j MARK --set-xmark 0x10000/0x10000",
            "-m mark --mark 0x10000/0x10000 -j RETURN");
    assertThat(t.chain("KUBE-NWPLCY-COMMON"))
        .contains(
            "-p icmp -m comment --comment \"allow icmp echo requests\" -m icmp --icmp-type 8 -j ACCEPT");
    assertThat(t.chain("KUBE-NWPLCY-TAIL"))
        .contains(
            "-s 10.42.0.0/24 -m comment --comment \"reject unprogrammed local pod (default-deny)\""
                + " -m set ! --match-set kube-router-local-pods src"
                + " -j REJECT --reject-with icmp-port-unreachable");
    assertThat(t.chain("KUBE-ROUTER-FORWARD"))
        .contains(
            "-d 10.42.0.10/32 -m comment --comment \"x/a in\" -j " + Names.podChain("x", "a"));
  }

  @Test
  void entryChainsJumpFiveTimesPerPodAndEndInTheTail() {
    Ruleset r = EnforcementTest.cluster().render(ModelCluster.N1);
    for (IpFamily f : IpFamily.values()) {
      Ruleset.Table t = r.table(f);
      int jumps = 0;
      for (String c : List.of("KUBE-ROUTER-INPUT", "KUBE-ROUTER-FORWARD", "KUBE-ROUTER-OUTPUT")) {
        List<String> rules = t.chain(c);
        assertThat(rules.get(rules.size() - 1)).endsWith("-j KUBE-NWPLCY-TAIL");
        jumps += (int) rules.stream().filter(l -> l.contains("-j KUBE-POD-FW-")).count();
      }
      assertThat(jumps).isEqualTo(5 * 3); // x/a, x/b, y/a live on n1
      assertThat(t.sets().get(Names.localPodsSet(f)).members()).hasSize(3);
      assertThat(t.chain("KUBE-NWPLCY-TAIL")).hasSize(3); // node traffic, -s and -d of the CIDR
    }
  }

  @Test
  void onlyPoliciesWithATargetOnTheNodeAreRendered() {
    ModelCluster cluster =
        EnforcementTest.cluster()
            .policy(policy("x", "on-n2", sel("pod", "c"), List.of("Ingress"), null, null));
    String chain = Names.policyChain("x", "on-n2", Direction.INGRESS, IpFamily.IPV4);
    assertThat(cluster.render(ModelCluster.N1).table(IpFamily.IPV4).chains())
        .doesNotContainKey(chain);
    assertThat(cluster.render(ModelCluster.N2).table(IpFamily.IPV4).chains()).containsKey(chain);
  }

  @Test
  void podsPoliciesCannotActOnGetNoChain() {
    ModelCluster cluster = new ModelCluster().namespace("x");
    cluster.pods.add(
        new NetpolPod("x", "host", "n1", Map.of(), "192.168.1.1", null, null, true, false));
    cluster.pods.add(
        new NetpolPod("x", "done", "n1", Map.of(), "10.42.0.5", null, null, false, true));
    cluster.pods.add(
        new NetpolPod("x", "v4only", "n1", Map.of(), "10.42.0.6", null, null, false, false));
    Ruleset r = cluster.render(ModelCluster.N1);
    assertThat(
            r.table(IpFamily.IPV4).chains().keySet().stream()
                .filter(c -> c.startsWith("KUBE-POD-FW-")))
        .containsExactly(Names.podChain("x", "v4only"));
    assertThat(r.table(IpFamily.IPV6).chains().keySet())
        .noneMatch(c -> c.startsWith("KUBE-POD-FW-"));
  }

  static io.netsvc.k8s.records.netpol.NetworkPolicyInfo blocks() {
    return policy(
        "shop",
        "blocks",
        sel("app", "db"),
        List.of("Egress"),
        null,
        List.of(
            rule(
                List.of(
                    block("10.0.0.0/16", "10.0.1.0/24"),
                    block("10.0.0.0/8"),
                    block("::/0", "fd00::/8")),
                tcp("443"))));
  }

  @Test
  void eachIpBlockPeerHasItsOwnHashNetSetAndSlashZeroIsSplit() {
    Ruleset r = RestorePlanTest.shop().policy(blocks()).render(ModelCluster.N1);
    Ruleset.Table v4 = r.table(IpFamily.IPV4);
    Ruleset.Table v6 = r.table(IpFamily.IPV6);
    String p0 = Names.ipBlockSet("shop", "blocks", Direction.EGRESS, 0, 0, IpFamily.IPV4);
    String p1 = Names.ipBlockSet("shop", "blocks", Direction.EGRESS, 0, 1, IpFamily.IPV4);
    String p2 = Names.ipBlockSet("shop", "blocks", Direction.EGRESS, 0, 2, IpFamily.IPV6);
    assertThat(v4.sets().get(p0))
        .isEqualTo(
            new Ruleset.IpSet(
                "hash:net", "timeout 0", List.of("10.0.0.0/16", "10.0.1.0/24 nomatch")));
    assertThat(v4.sets().get(p1).members()).containsExactly("10.0.0.0/8");
    assertThat(v6.sets().get(p2))
        .isEqualTo(
            new Ruleset.IpSet(
                "hash:net",
                "timeout 0 family inet6",
                List.of("8000::/1", "::/1", "fd00::/8 nomatch")));
    assertThat(p2).startsWith("inet6:KUBE-DST-");
  }

  @Test
  void countsForOnePod() {
    NetpolNode node = NetpolNode.of("n1", List.of("10.42.0.0/24"));
    ModelCluster cluster =
        new ModelCluster().namespace("x").pod("x", "a", "n1", "10.42.0.10", "app=a");
    NodeRuleset n = NodeRuleset.of(node, cluster.pods, cluster.compiled());
    // 3 entry chains, DEFAULT, COMMON, TAIL, one pod chain; 6 built-in rules, 8 entry rules
    // (5 jumps + 3 tail jumps), DEFAULT 1, COMMON 5, TAIL 3, pod chain 8
    assertThat(RulesetRenderer.render(n).counts()).isEqualTo(new Ruleset.Counts(7, 31, 1, 1));
  }
}
