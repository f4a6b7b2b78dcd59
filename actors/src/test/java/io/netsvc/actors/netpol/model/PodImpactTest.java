package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.block;
import static io.netsvc.actors.netpol.model.NetpolFixtures.both;
import static io.netsvc.actors.netpol.model.NetpolFixtures.egress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.expr;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.pod;
import static io.netsvc.actors.netpol.model.NetpolFixtures.pods;
import static io.netsvc.actors.netpol.model.NetpolFixtures.port;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which pod changes a policy must recompile for. The cases name what a reader expects; the last
 * test checks the rule against the compiler itself: over many random pod changes, whenever it says
 * a change does not matter, compiling before and after gives the same policy.
 */
class PodImpactTest {
  static final Map<String, String> X = Map.of("ns", "x", ClusterView.NAME_LABEL, "x");
  static final Map<String, String> Y = Map.of("ns", "y", ClusterView.NAME_LABEL, "y");

  static NetpolPod web(String ns, String name, String app) {
    return pod(ns, name, "n1", "10.42.0.99", null, Map.of("app", app));
  }

  @Test
  void aTargetMattersBeforeOrAfterAndAnUnselectedPodDoesNot() {
    NetworkPolicyInfo p = ingress("x", "deny-web", labels("app", "web"));
    assertThat(PodImpact.matters(p, X, null, web("x", "w", "web"))).isTrue();
    assertThat(PodImpact.matters(p, X, web("x", "w", "web"), null)).isTrue();
    assertThat(PodImpact.matters(p, X, web("x", "w", "web"), web("x", "w", "db"))).isTrue();
    assertThat(PodImpact.matters(p, X, null, web("x", "d", "db"))).isFalse();
    assertThat(PodImpact.matters(p, X, web("x", "d", "db"), null)).isFalse();
    // the same labels in another namespace select nothing
    assertThat(PodImpact.matters(p, Y, null, web("y", "w", "web"))).isFalse();
  }

  @Test
  void aPodWithoutAnIpIsInNoCompile() {
    NetworkPolicyInfo p = ingress("x", "deny-web", labels("app", "web"));
    NetpolPod pending =
        new NetpolPod("x", "w", null, Map.of("app", "web"), null, null, List.of(), false, false);
    assertThat(PodImpact.matters(p, X, null, pending)).isFalse();
    assertThat(PodImpact.matters(p, X, pending, web("x", "w", "web"))).isTrue();
  }

  @Test
  void peersMatterInTheNamespacesTheirSelectorPicks() {
    NetworkPolicyInfo p =
        ingress(
            "x",
            "from-y-api",
            labels("app", "web"),
            rule(List.of(both(labels("ns", "y"), labels("app", "api")))));
    assertThat(PodImpact.matters(p, Y, null, web("y", "a", "api"))).isTrue();
    assertThat(PodImpact.matters(p, Y, null, web("y", "a", "batch"))).isFalse();
    assertThat(PodImpact.matters(p, X, null, web("x", "a", "api"))).isFalse();
    NetworkPolicyInfo pods =
        ingress(
            "x",
            "from-api",
            labels("app", "web"),
            rule(List.of(NetpolFixtures.pods(labels("app", "api")))));
    assertThat(PodImpact.matters(pods, X, null, web("x", "a", "api"))).isTrue();
    assertThat(PodImpact.matters(pods, Y, null, web("y", "a", "api"))).isFalse();
  }

  @Test
  void anEgressNameLookedUpOnEveryPodMattersWhenItResolvesDifferently() {
    NetworkPolicyInfo p =
        egress("x", "dns", labels("app", "web"), rule(List.of(), port("UDP", "dns")));
    NetpolPod dns =
        new NetpolPod(
            "y",
            "coredns",
            "n1",
            Map.of(),
            "10.42.0.53",
            null,
            List.of(new NamedPort("dns", "UDP", 53)),
            false,
            false);
    NetpolPod moved =
        new NetpolPod(
            "y",
            "coredns",
            "n1",
            Map.of(),
            "10.42.0.53",
            null,
            List.of(new NamedPort("dns", "UDP", 5353)),
            false,
            false);
    NetpolPod relabelled =
        new NetpolPod(
            "y",
            "coredns",
            "n2",
            Map.of("x", "y"),
            "10.42.0.53",
            null,
            dns.namedPorts(),
            false,
            false);
    assertThat(PodImpact.matters(p, Y, null, dns)).isTrue();
    assertThat(PodImpact.matters(p, Y, dns, moved)).isTrue();
    assertThat(PodImpact.matters(p, Y, dns, relabelled)).as("same name, port and IP").isFalse();
    assertThat(PodImpact.matters(p, Y, null, web("y", "w", "web"))).isFalse();
  }

  @Test
  void namespaceLabelsMatterOnlyToNamespaceSelectorsTheyFlip() {
    NetworkPolicyInfo p =
        ingress(
            "x",
            "from-prod",
            labels(),
            rule(List.of(NetpolFixtures.namespaces(labels("env", "prod")))));
    assertThat(PodImpact.labelsMatter(p, Map.of(), Map.of("env", "prod"))).isTrue();
    assertThat(PodImpact.labelsMatter(p, Map.of("env", "dev"), Map.of("env", "test"))).isFalse();
    NetworkPolicyInfo noNs = ingress("x", "deny", labels());
    assertThat(PodImpact.labelsMatter(noNs, Map.of(), Map.of("env", "prod"))).isFalse();
  }

  /** Whenever a change is said not to matter, the compiled policy is indeed the same. */
  @Test
  void aChangeSaidNotToMatterNeverChangesTheCompiledPolicy() {
    List<NetworkPolicyInfo> policies =
        List.of(
            ingress(
                "x",
                "a-from-b",
                labels("pod", "a"),
                rule(
                    List.of(NetpolFixtures.pods(labels("pod", "b"))), port("TCP", "serve-80-tcp"))),
            ingress(
                "x",
                "from-y",
                labels(),
                rule(List.of(NetpolFixtures.namespaces(labels("ns", "y"))))),
            ingress(
                "y",
                "c-from-z-a",
                labels("pod", "c"),
                rule(List.of(both(expr("ns", "In", "z"), labels("pod", "a"))))),
            egress(
                "z", "named-any", labels("pod", "b"), rule(List.of(), port("UDP", "serve-81-udp"))),
            egress(
                "x",
                "named-block",
                labels("pod", "a"),
                rule(List.of(block("10.42.0.0/24")), port("TCP", "serve-80-tcp"))),
            egress(
                "y",
                "to-x-named",
                expr("pod", "NotIn", "a"),
                rule(
                    List.of(NetpolFixtures.namespaces(labels("ns", "x"))),
                    port("SCTP", "serve-80-sctp"))));
    Random r = new Random(11);
    List<NamespaceInfo> nss = namespaces();
    int skipped = 0;
    for (int round = 0; round < 400; round++) {
      List<NetpolPod> world = new ArrayList<>(pods());
      int i = r.nextInt(world.size());
      NetpolPod before = world.get(i);
      NetpolPod after = mutate(before, r);
      List<NetpolPod> next = new ArrayList<>(world);
      if (after == null) next.remove(i);
      else next.set(i, after);
      Map<String, String> nsLabels = ClusterView.of(nss, world).namespaceLabels(before.namespace());
      for (NetworkPolicyInfo p : policies) {
        boolean matters = PodImpact.matters(p, nsLabels, before, after);
        if (matters) continue;
        skipped++;
        assertThat(PolicyCompiler.compile(p, nss, next))
            .as("%s: %s -> %s", p.key(), before, after)
            .isEqualTo(PolicyCompiler.compile(p, nss, world));
      }
    }
    assertThat(skipped)
        .as("the rule must skip something, or this test shows nothing")
        .isGreaterThan(100);
  }

  private static NetpolPod mutate(NetpolPod p, Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> null;
      case 1 ->
          new NetpolPod(
              p.namespace(),
              p.name(),
              p.nodeName(),
              Map.of("pod", List.of("a", "b", "c", "d").get(r.nextInt(4))),
              p.ipv4(),
              p.ipv6(),
              p.namedPorts(),
              false,
              false);
      case 2 ->
          new NetpolPod(
              p.namespace(),
              p.name(),
              "n" + r.nextInt(3),
              p.labels(),
              p.ipv4(),
              p.ipv6(),
              p.namedPorts(),
              false,
              false);
      case 3 ->
          new NetpolPod(
              p.namespace(),
              p.name(),
              p.nodeName(),
              p.labels(),
              "10.42.0." + (100 + r.nextInt(50)),
              null,
              p.namedPorts(),
              false,
              false);
      case 4 ->
          new NetpolPod(
              p.namespace(),
              p.name(),
              p.nodeName(),
              p.labels(),
              p.ipv4(),
              p.ipv6(),
              List.of(new NamedPort("serve-81-udp", "UDP", 8181)),
              false,
              false);
      default ->
          new NetpolPod(
              p.namespace(),
              p.name(),
              p.nodeName(),
              p.labels(),
              p.ipv4(),
              p.ipv6(),
              p.namedPorts(),
              false,
              true);
    };
  }
}
