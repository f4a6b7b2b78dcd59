package io.netsvc.nodeagent.netpol.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabNamesTest {

  @Test
  void podNamespacesAreNamedAfterNamespaceAndPod() {
    assertThat(LabNames.podNamespace("sim", "prod", "db-0")).isEqualTo("sim-prod-db-0");
  }

  @Test
  void nodeAndFabricNamesCannotCollideWithAnyPodName() {
    // Kubernetes names never contain '_', pod names always have '-' after the prefix
    assertThat(LabNames.nodeNamespace("sim", "node")).isEqualTo("sim_node_node");
    assertThat(LabNames.fabricNamespace("sim")).isEqualTo("sim_fabric");
    assertThat(LabNames.podNamespace("sim", "node", "node")).isNotEqualTo("sim_node_node");
  }

  @Test
  void longNamesAreCutDeterministicallyAndStayDistinct() {
    String pod = "a-very-long-pod-name-generated-by-a-statefulset-controller-0123456789";
    String first = LabNames.podNamespace("sim", "default", pod + "-0");
    String second = LabNames.podNamespace("sim", "default", pod + "-1");

    assertThat(first).hasSize(LabNames.MAX_NETNS_NAME).startsWith("sim-default-a-very-long");
    assertThat(first).isEqualTo(LabNames.podNamespace("sim", "default", pod + "-0"));
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void linkNamesFitTheKernelLimit() {
    assertThat(LabNames.link('p', "sim-" + "x".repeat(200))).hasSizeLessThanOrEqualTo(15);
  }

  @Test
  void leftoversAreRecognisedByPrefixOnly() {
    assertThat(LabNames.belongsTo("sim", "sim_fabric")).isTrue();
    assertThat(LabNames.belongsTo("sim", "sim-prod-db-0")).isTrue();
    assertThat(LabNames.belongsTo("sim", "simple-other")).isFalse();
    assertThat(LabNames.belongsTo("sim", "sim")).isFalse();
  }

  @Test
  void prefixesThatCouldEscapeTheNetnsDirectoryAreRejected() {
    assertThatThrownBy(() -> LabNames.checkPrefix("../x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LabNames.checkPrefix("")).isInstanceOf(IllegalArgumentException.class);
  }
}
