package io.netsvc.nodeagent.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our rules among other components' in the built-in chains, over restarts and removal. */
class HostChainsTest {
  static ModelCluster shop() {
    return Shop.shop();
  }

  @Test
  void fromScratchTheKernelHoldsExactlyTheRulesetAndForeignRulesSurvive() {
    Kernel k = Shop.hostKernel();
    Ruleset r = shop().render(ModelCluster.N1);
    Shop.applyAndCheck(k, Ruleset.EMPTY, r, true);
    for (IpFamily f : IpFamily.values()) {
      List<String> input = k.tables.get(f).get("INPUT");
      assertThat(input.get(0)).contains("-j KUBE-ROUTER-INPUT");
      // the K3s ACCEPT comes after kube-proxy's rules (its firewall runs first)
      assertThat(input).hasSize(4).element(3).asString().contains("0x20000");
      List<String> forward = k.tables.get(f).get("FORWARD");
      assertThat(forward.get(2)).contains("0x20000");
      assertThat(forward.get(3)).contains("FLANNEL-FWD");
    }
    assertThat(RestorePlan.between(r, r, Shop.live(k)).isEmpty()).isTrue();
  }

  @Test
  void removingEverythingLeavesOnlyForeignRules() {
    Kernel k = Shop.hostKernel();
    Ruleset r = shop().render(ModelCluster.N1);
    Shop.applyAndCheck(k, Ruleset.EMPTY, r, true);
    Shop.applyAndCheck(k, r, Ruleset.EMPTY, true);
    for (IpFamily f : IpFamily.values()) {
      assertThat(k.tables.get(f).keySet())
          .containsExactlyInAnyOrder(
              "INPUT",
              "FORWARD",
              "OUTPUT",
              "KUBE-NODEPORTS",
              "KUBE-FIREWALL",
              "KUBE-FORWARD",
              "FLANNEL-FWD");
      assertThat(k.tables.get(f).get("INPUT")).hasSize(2).noneMatch(l -> l.contains("KUBE-ROUTER"));
    }
    assertThat(k.sets).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void builtInJumpIsMovedBackToPositionOneAndDuplicatesGo(IpFamily f) {
    Kernel k = Shop.hostKernel();
    Ruleset r = shop().render(ModelCluster.N1);
    Shop.applyAndCheck(k, Ruleset.EMPTY, r, true);
    List<String> input = k.tables.get(f).get("INPUT");
    input.add(0, "-m comment --comment \"kube-proxy came back\" -j KUBE-FIREWALL"); // prepended
    input.add(StaticChains.acceptMarked()); // a second ACCEPT
    RestorePlan fix = RestorePlan.between(r, r, Shop.live(k));
    assertThat(fix.iptables(f)).contains("-I INPUT 1 ", "-D INPUT ");
    assertThat(fix.ipsetBefore() + fix.ipsetAfter()).isEmpty();
    k.apply(fix);
    assertThat(input = k.tables.get(f).get("INPUT"))
        .first()
        .asString()
        .contains("KUBE-ROUTER-INPUT");
    assertThat(input.stream().filter(l -> l.contains("0x20000"))).hasSize(1);
    assertThat(RestorePlan.between(r, r, Shop.live(k)).isEmpty()).isTrue(); // idempotent
  }

  @Test
  void afterARestartTheSavedStateIsTheStartingPointAndLeftoversGo() {
    ModelCluster cluster = shop().policy(RulesetRendererTest.blocks());
    Kernel k = Shop.hostKernel();
    Ruleset old = cluster.render(ModelCluster.N1);
    Shop.applyAndCheck(k, Ruleset.EMPTY, old, true);
    Map<IpFamily, String> save =
        Map.of(IpFamily.IPV4, k.save(IpFamily.IPV4), IpFamily.IPV6, k.save(IpFamily.IPV6));
    Ruleset saved = SavedState.parse(save, k.ipsetSave());
    for (IpFamily f : IpFamily.values()) assertThat(saved.table(f)).isEqualTo(old.table(f));
    // while the agent was down, a policy went away and a pod came
    cluster.policies.remove("shop/blocks");
    cluster.pod("shop", "new", "n1", "10.42.0.250", "app=db");
    Ruleset now = cluster.render(ModelCluster.N1);
    RestorePlan p = RestorePlan.between(saved, now, Shop.live(k));
    assertThat(p.stats().chainsRemoved()).isEqualTo(2);
    assertThat(p.ipsetAfter())
        .contains(
            "destroy "
                + Names.ipBlockSet(
                    "shop",
                    "blocks",
                    io.netsvc.actors.netpol.model.Direction.EGRESS,
                    0,
                    0,
                    IpFamily.IPV4));
    k.apply(p);
    for (IpFamily f : IpFamily.values()) assertThat(k.ours(f)).isEqualTo(now.table(f));
  }
}
