package io.netsvc.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sim scheduler's filters, as kube-scheduler applies them. */
class SchedulerTest {
  static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .endSpec()
        .build();
  }

  @Test
  void nodeSelectorMustMatchEveryLabel() {
    PodSpec spec = new PodSpecBuilder().withNodeSelector(Map.of("a", "1", "b", "2")).build();
    assertThat(Scheduler.fits(spec, node("n", Map.of("a", "1", "b", "2", "c", "3")), List.of()))
        .isTrue();
    assertThat(Scheduler.fits(spec, node("n", Map.of("a", "1")), List.of())).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "In, zone, a|b, a, true",
    "In, zone, a|b, c, false",
    "NotIn, zone, a, b, true",
    "NotIn, zone, a, a, false",
    "Exists, zone, , x, true",
    "DoesNotExist, zone, , x, false",
    "Gt, cores, 4, 8, true",
    "Gt, cores, 4, 2, false",
    "Lt, cores, 4, 2, true"
  })
  void nodeAffinityExpressions(
      String op, String key, String values, String nodeValue, boolean fits) {
    List<String> vs = values == null ? List.of() : List.of(values.split("\\|"));
    PodSpec spec =
        new PodSpecBuilder()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .withMatchExpressions(
                new NodeSelectorRequirementBuilder()
                    .withKey(key)
                    .withOperator(op)
                    .withValues(vs)
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .build();
    assertThat(Scheduler.fits(spec, node("n", Map.of(key, nodeValue)), List.of())).isEqualTo(fits);
  }

  @Test
  void matchFieldsPinsNodesByNameAndTermsAreOred() {
    PodSpec spec =
        new PodSpecBuilder()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .withMatchFields(
                new NodeSelectorRequirementBuilder()
                    .withKey("metadata.name")
                    .withOperator("In")
                    .withValues("node-1")
                    .build())
            .endNodeSelectorTerm()
            .addNewNodeSelectorTerm()
            .withMatchFields(
                new NodeSelectorRequirementBuilder()
                    .withKey("metadata.name")
                    .withOperator("In")
                    .withValues("node-3")
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .build();
    assertThat(Scheduler.fits(spec, node("node-1", Map.of()), List.of())).isTrue();
    assertThat(Scheduler.fits(spec, node("node-2", Map.of()), List.of())).isFalse();
    assertThat(Scheduler.fits(spec, node("node-3", Map.of()), List.of())).isTrue();
  }

  @Test
  void taintsNeedTolerationsExceptPreferNoSchedule() {
    Taint gpu = new Taint("NoSchedule", "dedicated", null, "gpu");
    Taint soft = new Taint("PreferNoSchedule", "soft", null, null);
    Taint notReady = new Taint("NoExecute", "node.kubernetes.io/not-ready", null, null);
    PodSpec bare = new PodSpec();
    assertThat(Scheduler.fits(bare, node("n", Map.of(), soft), List.of())).isTrue();
    assertThat(Scheduler.fits(bare, node("n", Map.of(), gpu), List.of())).isFalse();
    assertThat(Scheduler.fits(bare, node("n", Map.of(), notReady), List.of())).isFalse();
    assertThat(Scheduler.fits(bare, node("n", Map.of(), notReady), Scheduler.DAEMONSET_TOLERATIONS))
        .isTrue();
    PodSpec tolerant =
        new PodSpecBuilder()
            .withTolerations(
                new TolerationBuilder()
                    .withKey("dedicated")
                    .withOperator("Equal")
                    .withValue("gpu")
                    .withEffect("NoSchedule")
                    .build())
            .build();
    assertThat(Scheduler.fits(tolerant, node("n", Map.of(), gpu), List.of())).isTrue();
    PodSpec wrongValue =
        new PodSpecBuilder()
            .withTolerations(
                new TolerationBuilder()
                    .withKey("dedicated")
                    .withOperator("Equal")
                    .withValue("cpu")
                    .build())
            .build();
    assertThat(Scheduler.fits(wrongValue, node("n", Map.of(), gpu), List.of())).isFalse();
  }

  @Test
  void hostPortsConflictPerProtocolAndIgnoreThePodItself() {
    Pod dns =
        new PodBuilder()
            .withNewMetadata()
            .withName("dns")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .addNewPort()
            .withContainerPort(53)
            .withHostPort(53)
            .withProtocol("UDP")
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    assertThat(Scheduler.hostPorts(dns.getSpec())).containsExactly("53/UDP");
    assertThat(Scheduler.portsFree(java.util.Set.of("53/TCP"), List.of(dns), "other")).isTrue();
    assertThat(Scheduler.portsFree(java.util.Set.of("54/UDP"), List.of(dns), "other")).isTrue();
    assertThat(Scheduler.portsFree(java.util.Set.of("53/UDP"), List.of(dns), "other")).isFalse();
    assertThat(Scheduler.portsFree(java.util.Set.of("53/UDP"), List.of(dns), "dns")).isTrue();
    assertThat(Scheduler.noFreePorts(3))
        .isEqualTo(
            "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.");
  }
}
