package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.nsPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.podPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The plan-test cluster, and a host kernel that already holds kube-proxy's and flannel's rules. */
final class Shop {
  static final List<String> IN = List.of("Ingress");
  static final List<String> OUT = List.of("Egress");

  /** 100 pods of "shop" on n1 (50 web, 50 db), 20 on n2, DNS in kube-system, three policies. */
  static ModelCluster shop() {
    ModelCluster cluster =
        new ModelCluster().namespace("shop").namespace("kube-system", "name", "kube-system");
    for (int i = 0; i < 100; i++) {
      cluster.pod("shop", "p" + i, "n1", "10.42.0." + (10 + i), i % 2 == 0 ? "app=web" : "app=db");
    }
    for (int i = 0; i < 20; i++)
      cluster.pod("shop", "q" + i, "n2", "10.42.1." + (10 + i), "app=web");
    cluster.pod(
        "kube-system", "dns", "n2", "10.42.1.200", "app=dns", new NamedPort("dns", "UDP", 53));
    return cluster
        .policy(policy("shop", "deny-all", sel(), IN, null, null))
        .policy(
            policy(
                "shop",
                "db-from-web",
                sel("app", "db"),
                IN,
                List.of(rule(List.of(podPeer("app", "web")), tcp("5432"))),
                null))
        .policy(
            policy(
                "shop",
                "web-out",
                sel("app", "web"),
                OUT,
                null,
                List.of(
                    rule(List.of(podPeer("app", "db")), tcp("5432")),
                    rule(
                        List.of(nsPeer("name", "kube-system")),
                        new io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port(
                            "UDP", "dns", null)))));
  }

  /** A kernel that already holds kube-proxy's and flannel's rules in the built-in chains. */
  static Kernel hostKernel() {
    Kernel k = new Kernel();
    for (IpFamily f : IpFamily.values()) {
      Map<String, List<String>> t = k.tables.get(f);
      t.get("INPUT")
          .add("-m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS");
      t.get("INPUT").add("-j KUBE-FIREWALL");
      t.get("FORWARD").add("-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD");
      t.get("FORWARD").add("-m comment --comment \"flanneld forward\" -j FLANNEL-FWD");
      t.get("OUTPUT").add("-j KUBE-FIREWALL");
      for (String c : List.of("KUBE-NODEPORTS", "KUBE-FIREWALL", "KUBE-FORWARD", "FLANNEL-FWD")) {
        t.put(c, new ArrayList<>());
      }
    }
    return k;
  }

  static Map<IpFamily, Map<String, List<String>>> live(Kernel k) {
    Map<IpFamily, Map<String, List<String>>> out = new HashMap<>();
    for (IpFamily f : IpFamily.values()) {
      Map<String, List<String>> b = new HashMap<>();
      for (String c : Kernel.BUILTINS) b.put(c, List.copyOf(k.tables.get(f).get(c)));
      out.put(f, b);
    }
    return out;
  }

  static void applyAndCheck(Kernel k, Ruleset from, Ruleset to, boolean live) {
    RestorePlan plan =
        live ? RestorePlan.between(from, to, live(k)) : RestorePlan.between(from, to);
    k.apply(plan);
    for (IpFamily f : IpFamily.values()) assertThat(k.ours(f)).isEqualTo(to.table(f));
  }
}
