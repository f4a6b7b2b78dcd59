package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.nsPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.podPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node agent is sent only its node's projection of each policy; it must render exactly the rules
 * it would render from the whole compiled policy, on every node.
 */
class ProjectionRenderTest {
  @Test
  void eachNodeRendersTheSameRulesFromItsProjectionAsFromTheWholePolicy() {
    ModelCluster cluster =
        EnforcementTest.cluster()
            .policy(
                policy(
                    "x",
                    "in",
                    sel(),
                    List.of("Ingress", "Egress"),
                    List.of(rule(List.of(podPeer("pod", "b"), nsPeer("team", "y")), tcp("http"))),
                    List.of(rule(List.of(podPeer("pod", "a")), tcp("80")))))
            .policy(policy("y", "deny", sel("pod", "b"), List.of("Ingress"), null, null));
    for (NetpolNode node : List.of(ModelCluster.N1, ModelCluster.N2)) {
      Ruleset whole =
          RulesetRenderer.render(NodeRuleset.of(node, cluster.pods, cluster.compiled()));
      assertThat(cluster.render(node)).as(node.name()).isEqualTo(whole);
      assertThat(cluster.sentTo(node))
          .allSatisfy(p -> assertThat(p.targetsByNode().keySet()).isSubsetOf(node.name()));
    }
  }
}
