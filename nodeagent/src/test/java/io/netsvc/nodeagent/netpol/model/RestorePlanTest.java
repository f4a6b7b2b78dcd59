package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.block;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Plans applied to a strict kernel stand-in: the kernel must end up holding exactly the ruleset.
 */
class RestorePlanTest {
  static final List<String> IN = Shop.IN;
  static final List<String> OUT = Shop.OUT;

  static ModelCluster shop() {
    return Shop.shop();
  }

  @Test
  void aLocalPodComingAndGoingTouchesOnlyItsChainItsJumpsAndSetMembers() {
    ModelCluster cluster = shop();
    Ruleset before = cluster.render(ModelCluster.N1);
    Kernel k = Shop.hostKernel();
    Shop.applyAndCheck(k, Ruleset.EMPTY, before, true);
    cluster.pod("shop", "new", "n1", "10.42.0.250", "app=web");
    Ruleset after = cluster.render(ModelCluster.N1);
    String chain = Names.podChain("shop", "new");

    RestorePlan add = RestorePlan.between(before, after);
    for (IpFamily f : IpFamily.values()) {
      String text = add.iptables(f);
      assertThat(chainsIn(text))
          .containsExactlyInAnyOrder(
              chain, "KUBE-ROUTER-INPUT", "KUBE-ROUTER-FORWARD", "KUBE-ROUTER-OUTPUT");
      assertThat(lines(text, ":")).containsExactly(":" + chain + " - [0:0]");
      assertThat(lines(text, "-A ")).allMatch(l -> l.startsWith("-A " + chain + " "));
      assertThat(lines(text, "-I ")).hasSize(5); // INPUT -s, FORWARD -d -s, OUTPUT -d -s
      assertThat(lines(text, "-D ")).isEmpty();
    }
    String peers =
        Names.podPeerSet(
            "shop",
            "db-from-web",
            io.netsvc.actors.netpol.model.Direction.INGRESS,
            0,
            IpFamily.IPV4);
    assertThat(add.ipsetBefore()).contains("add " + peers + " 10.42.0.250 timeout 0");
    assertThat(add.ipsetBefore())
        .doesNotContain("kube-router-local-pods 10.42.0.250", "swap", "destroy");
    assertThat(add.ipsetAfter())
        .isEqualTo(
            "add inet6:kube-router-local-pods fd00:42::250 timeout 0\n"
                + "add kube-router-local-pods 10.42.0.250 timeout 0\n");
    assertThat(add.stats().ruleLines()).isLessThan(40);
    k.apply(add);
    for (IpFamily f : IpFamily.values()) assertThat(k.ours(f)).isEqualTo(after.table(f));

    RestorePlan remove = RestorePlan.between(after, before);
    for (IpFamily f : IpFamily.values()) {
      String text = remove.iptables(f);
      assertThat(lines(text, "-D ")).hasSize(5);
      assertThat(lines(text, ":")).isEmpty();
      assertThat(lines(text, "-A ")).isEmpty();
      assertThat(text).contains("-F " + chain + "\n-X " + chain + "\n");
    }
    assertThat(remove.ipsetBefore())
        .contains("del kube-router-local-pods 10.42.0.250", "del " + peers + " 10.42.0.250");
    assertThat(remove.ipsetAfter()).isEmpty();
    k.apply(remove);
    for (IpFamily f : IpFamily.values()) assertThat(k.ours(f)).isEqualTo(before.table(f));
  }

  @Test
  void aNewPodIsLetThroughTheTailOnlyAfterItsChainExists() {
    ModelCluster cluster = shop();
    Ruleset before = cluster.render(ModelCluster.N1);
    cluster.pod("shop", "new", "n1", "10.42.0.250", "app=other");
    RestorePlan add = RestorePlan.between(before, cluster.render(ModelCluster.N1));
    assertThat(add.ipsetBefore()).doesNotContain("local-pods");
    assertThat(add.ipsetAfter()).contains("add kube-router-local-pods 10.42.0.250");
    // on a fresh kernel the tail is created by the same atomic restore: fill the set first
    RestorePlan fresh = RestorePlan.between(Ruleset.EMPTY, before);
    assertThat(fresh.ipsetBefore()).contains("create kube-router-local-pods", "swap");
    assertThat(fresh.ipsetAfter()).doesNotContain("kube-router-local-pods");
  }

  /** Every step of a churn history: the kernel always ends up exactly at the wanted ruleset. */
  @Test
  void aHistoryOfChangesConvergesAtEveryStep() {
    ModelCluster cluster = shop();
    Kernel k = Shop.hostKernel();
    Ruleset prev = Ruleset.EMPTY;
    List<Consumer<ModelCluster>> steps =
        List.of(
            l -> {},
            l -> l.remove("shop", "p3").remove("shop", "p4"),
            l ->
                l.policy(
                    policy(
                        "shop",
                        "blocks",
                        sel("app", "db"),
                        OUT,
                        null,
                        List.of(
                            rule(
                                List.of(block("10.0.0.0/8", "10.42.0.0/16"), block("::/0")),
                                tcp("443"))))),
            l ->
                l.policy(
                    policy(
                        "shop",
                        "blocks",
                        sel("app", "db"),
                        OUT,
                        null,
                        List.of(
                            rule(
                                List.of(block("10.0.0.0/8", "10.42.0.0/16", "10.43.0.0/16")),
                                tcp("443"))))),
            l -> l.policies.remove("shop/db-from-web"),
            l -> l.pod("shop", "p3", "n1", "10.42.0.13", "app=db"),
            l -> l.policies.remove("shop/deny-all"),
            l -> l.policies.clear());
    for (Consumer<ModelCluster> step : steps) {
      step.accept(cluster);
      Ruleset next = cluster.render(ModelCluster.N1);
      Shop.applyAndCheck(k, prev, next, false);
      assertThat(RestorePlan.between(next, next).isEmpty()).isTrue();
      prev = next;
    }
  }

  @Test
  void setsChangeByAddDelWhenSmallAndBySwapWhenLarge() {
    ModelCluster cluster = shop();
    Ruleset a = cluster.render(ModelCluster.N1);
    String web =
        Names.podPeerSet(
            "shop",
            "db-from-web",
            io.netsvc.actors.netpol.model.Direction.INGRESS,
            0,
            IpFamily.IPV4);
    for (int i = 0; i < 100; i += 2) cluster.remove("shop", "p" + i); // every web pod on n1 goes
    Ruleset b = cluster.render(ModelCluster.N1);
    RestorePlan p = RestorePlan.between(a, b);
    String tmp = KubeRouterNames.tmpSet("hash:ip timeout 0");
    assertThat(p.ipsetBefore())
        .contains("create " + tmp + " hash:ip timeout 0\nflush " + tmp + "\n")
        .contains("swap " + tmp + " " + web + "\n")
        .contains("destroy " + tmp + "\n")
        .doesNotContain("del " + web);
  }

  @Test
  void chainsNoLongerWantedAreDeletedAfterTheirJumpsAndTheirSetsAfterThat() {
    ModelCluster cluster = shop();
    Ruleset a = cluster.render(ModelCluster.N1);
    cluster.policies.remove("shop/db-from-web");
    Ruleset b = cluster.render(ModelCluster.N1);
    RestorePlan p = RestorePlan.between(a, b);
    String chain =
        Names.policyChain(
            "shop", "db-from-web", io.netsvc.actors.netpol.model.Direction.INGRESS, IpFamily.IPV4);
    String text = p.iptables(IpFamily.IPV4);
    assertThat(text.indexOf("-X " + chain)).isGreaterThan(text.lastIndexOf("-D KUBE-POD-FW-"));
    String set =
        Names.podPeerSet(
            "shop",
            "db-from-web",
            io.netsvc.actors.netpol.model.Direction.INGRESS,
            0,
            IpFamily.IPV4);
    assertThat(p.ipsetAfter()).contains("destroy " + set + "\n");
    assertThat(p.ipsetBefore()).doesNotContain(set);
    assertThat(p.stats().chainsRemoved()).isEqualTo(2); // one per family
  }

  static Set<String> chainsIn(String text) {
    Set<String> out = new TreeSet<>();
    for (String l : text.split("\n")) {
      if (l.startsWith(":")) out.add(l.substring(1, l.indexOf(' ')));
      else if (l.startsWith("-")) out.add(l.split(" ")[1]);
    }
    return out;
  }

  static List<String> lines(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).toList();
  }
}
