package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.bench.KubeRouterLayout;
import io.netsvc.config.ip.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmarks' estimate of kube-router's layout next to what netsvc renders, on the node agent's
 * test cluster ({@link ModelCluster}, hence this package), and kube-router's versioned chain names.
 */
class KubeRouterLayoutTest {

  @Test
  void onePodNoTailAndSevenJumps() {
    NetpolNode node = NetpolNode.of("n1", List.of("10.42.0.0/24"));
    ModelCluster lab = new ModelCluster().namespace("x").pod("x", "a", "n1", "10.42.0.10", "app=a");
    NodeRuleset n = NodeRuleset.of(node, lab.pods, lab.compiled());
    // netsvc renders 7 chains and 31 rules here (RulesetRendererTest.countsForOnePod)
    assertThat(KubeRouterLayout.counts(n, lab.compiled()))
        .isEqualTo(new Ruleset.Counts(6, 29, 0, 0));
  }

  @Test
  void policiesWithoutLocalTargetsCostNothingHereButEverythingInKubeRouter() {
    ModelCluster lab = RestorePlanTest.shop();
    for (int i = 0; i < 50; i++) {
      lab.policy(
          policy(
              "shop",
              "n2-" + i,
              sel("app", "dns"),
              List.of("Ingress"),
              List.of(rule(List.of(), tcp("53"))),
              null));
    }
    NodeRuleset n = NodeRuleset.of(ModelCluster.N1, lab.pods, lab.compiled());
    Ruleset.Counts ours = RulesetRenderer.render(n).counts();
    Ruleset.Counts theirs = KubeRouterLayout.counts(n, lab.compiled());
    // kube-router: a chain per policy and family on every node; netsvc: a tail chain per family
    assertThat(theirs.chains() - ours.chains()).isEqualTo(50 * 2 - 2);
    assertThat(ours.rules()).isLessThan(theirs.rules());
  }

  @ParameterizedTest(name = "{0}/{1} → {2}")
  @CsvSource({
    "nsA, simple-egress, KUBE-NWPLCY-C23KD7UE4TAT3Y5M",
    "nsA, simple-ingress-egress, KUBE-NWPLCY-IDIX352DRLNY3D23",
    "nsA, sctp-egress, KUBE-NWPLCY-HHGHJNRMJN6UUDNA",
  })
  void policyChainVectorsWithVersionOne(String ns, String name, String expected) {
    String chain = KubeRouterLayout.policyChain(ns, name, "1", IpFamily.IPV4);
    assertThat(chain).isEqualTo(expected).hasSize(28);
  }

  @Test
  void theUnseparatedConcatenationCollides() {
    assertThat(KubeRouterLayout.podChain("a", "bc", ""))
        .isEqualTo(KubeRouterLayout.podChain("ab", "c", ""))
        .startsWith("KUBE-POD-FW-")
        .hasSize(28);
    assertThat(Names.podChain("a", "bc")).isNotEqualTo(Names.podChain("ab", "c"));
  }
}
