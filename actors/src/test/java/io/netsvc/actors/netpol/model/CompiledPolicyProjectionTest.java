package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one node is sent of a compiled policy: its own targets and the shared rules. */
class CompiledPolicyProjectionTest {
  // x/web-* are the targets (on n1 and n2), y/db the peers
  static final NetworkPolicyInfo WEB_FROM_DB =
      ingress(
          "x", "web-from-db", labels("app", "web"), rule(List.of(namespaces(labels("ns", "y")))));

  static NetpolPod pod(String ns, String name, String node, String v4, String app) {
    return NetpolFixtures.pod(ns, name, node, v4, null, Map.of("app", app));
  }

  static List<NetpolPod> cluster(NetpolPod... more) {
    List<NetpolPod> pods =
        new ArrayList<>(
            List.of(
                pod("x", "web-1", "n1", "10.42.0.10", "web"),
                pod("x", "web-2", "n2", "10.42.1.10", "web"),
                pod("x", "web-3", "n2", "10.42.1.11", "web"),
                pod("y", "db", "n3", "10.42.2.10", "db")));
    pods.addAll(List.of(more));
    return pods;
  }

  static CompiledPolicy compile(List<NetpolPod> pods) {
    return PolicyCompiler.compile(WEB_FROM_DB, NetpolFixtures.namespaces(), pods);
  }

  @Test
  void aNodeIsSentOnlyItsOwnTargetsAndTheSameRuleObjects() {
    CompiledPolicy all = compile(cluster());
    CompiledPolicy n2 = all.forNode("n2");
    assertThat(n2.targets()).containsExactly("x/web-2", "x/web-3");
    assertThat(n2.targetsOn("n2")).containsExactly("x/web-2", "x/web-3");
    assertThat(n2.targetsOn("n1")).isEmpty();
    assertThat(n2.targetsByNode()).containsOnlyKeys("n2");
    assertThat(n2.targetIps().size()).isZero();
    assertThat(n2.key()).isEqualTo(all.key());
    assertThat(n2.types()).isEqualTo(all.types());
    assertThat(n2.problems()).isEqualTo(all.problems());
    assertThat(n2.ingress().get(0).peerIps().ipv4()).containsExactly("10.42.2.10");
    // one JVM holds the rules once, however many nodes' projections it keeps
    assertThat(n2.ingress()).isSameAs(all.ingress());
    assertThat(n2.egress()).isSameAs(all.egress());
    assertThat(all.forNode("n1").ingress()).isSameAs(n2.ingress());
  }

  @Test
  void theProjectionAndTheRuleComparisonCoverEveryComponent() {
    // a new component must be either a node's own part (forNode) or a rule (sameRules)
    assertThat(CompiledPolicy.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactly(
            "namespace",
            "name",
            "types",
            "targets",
            "targetsByNode",
            "targetIps",
            "ingress",
            "egress",
            "problems");
  }

  @Test
  void aNodeWithoutTargetsProjectsToNoTargets() {
    CompiledPolicy n3 = compile(cluster()).forNode("n3");
    assertThat(n3.targets()).isEmpty();
    assertThat(n3.targetsByNode()).isEmpty();
  }

  @Test
  void aTargetOnAnotherNodeLeavesTheProjectionAsItWas() {
    CompiledPolicy before = compile(cluster());
    CompiledPolicy after = compile(cluster(pod("x", "web-4", "n2", "10.42.1.12", "web")));
    assertThat(after).isNotEqualTo(before);
    assertThat(after.sameRules(before)).isTrue();
    assertThat(after.forNode("n1")).isEqualTo(before.forNode("n1"));
    assertThat(after.forNode("n2")).isNotEqualTo(before.forNode("n2"));
    // n1 keeps before's projection: the new compile takes over before's rule objects
    CompiledPolicy shared = after.withRulesOf(before);
    assertThat(shared).isEqualTo(after);
    assertThat(shared.ingress()).isSameAs(before.ingress());
    assertThat(shared.forNode("n2").ingress()).isSameAs(before.forNode("n1").ingress());
  }

  @Test
  void aChangedPeerSetChangesEveryNodesProjection() {
    CompiledPolicy before = compile(cluster());
    CompiledPolicy after = compile(cluster(pod("y", "db-2", "n3", "10.42.2.11", "db")));
    assertThat(after.sameRules(before)).isFalse();
    for (String node : List.of("n1", "n2")) {
      assertThat(after.forNode(node)).isNotEqualTo(before.forNode(node));
      assertThat(after.forNode(node).targets()).isEqualTo(before.forNode(node).targets());
    }
  }
}
