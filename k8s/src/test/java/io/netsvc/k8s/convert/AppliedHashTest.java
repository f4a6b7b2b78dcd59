package io.netsvc.k8s.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.api.Test;

/**
 * A DaemonSet applied with its hash is recognised as unchanged in the form the API server stores it
 * (with defaults filled in), and as changed when what would be applied differs.
 */
class AppliedHashTest {
  private static DaemonSet rendered(int port) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withNamespace("kube-system")
        .withName("svclb-web-35a5ccb3")
        .addToLabels("svccontroller.k3s.cattle.io/svcname", "web")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "svclb-web-35a5ccb3")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "svclb-web-35a5ccb3")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("lb-tcp-" + port)
        .withImage("rancher/klipper-lb:v0.4.13")
        .addNewPort()
        .withContainerPort(port)
        .withHostPort(port)
        .withProtocol("TCP")
        .endPort()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** {@code applied} as a server stores it: defaults, a resourceVersion, a status. */
  private static DaemonSet stored(DaemonSet applied) {
    DaemonSet d = new DaemonSetBuilder(applied).build();
    d.getMetadata().setResourceVersion("42");
    d.getMetadata().setGeneration(1L);
    d.getSpec().setRevisionHistoryLimit(10);
    var pod = d.getSpec().getTemplate().getSpec();
    pod.setRestartPolicy("Always");
    pod.setDnsPolicy("ClusterFirst");
    pod.setSchedulerName("default-scheduler");
    pod.setTerminationGracePeriodSeconds(30L);
    pod.getContainers().get(0).setImagePullPolicy("IfNotPresent");
    d.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder()
            .withNumberReady(3)
            .build());
    return d;
  }

  @Test
  void whatWasAppliedIsUnchangedAsTheServerStoresIt() {
    DaemonSet live = stored(AppliedHash.stamp(rendered(80)));
    assertThat(AppliedHash.unchanged(live, AppliedHash.stamp(rendered(80)))).isTrue();
    // without the hash only an equal spec would do, and the server's defaults make it differ
    assertThat(AppliedHash.unchanged(live, rendered(80))).isFalse();
  }

  @Test
  void anotherRenderingIsAChange() {
    DaemonSet live = stored(AppliedHash.stamp(rendered(80)));
    assertThat(AppliedHash.unchanged(live, AppliedHash.stamp(rendered(443)))).isFalse();
    // nor is one applied before hashes were kept, whatever its spec
    DaemonSet old = stored(rendered(80));
    assertThat(AppliedHash.unchanged(old, AppliedHash.stamp(rendered(80)))).isFalse();
  }

  @Test
  void theStampIsTheSameForTheSameRenderingAndLeavesItAlone() {
    DaemonSet r = rendered(80);
    DaemonSet a = AppliedHash.stamp(r);
    assertThat(a.getMetadata().getAnnotations()).containsKey(AppliedHash.ANNOTATION);
    assertThat(r.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(AppliedHash.stamp(a)).isEqualTo(a);
    assertThat(AppliedHash.stamp(rendered(80))).isEqualTo(a);
    a.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("other");
    assertThat(AppliedHash.stamp(a).getMetadata().getAnnotations().get(AppliedHash.ANNOTATION))
        .isNotEqualTo(
            AppliedHash.stamp(r).getMetadata().getAnnotations().get(AppliedHash.ANNOTATION));
  }

  @Test
  void labelsStillCount() {
    DaemonSet live = stored(AppliedHash.stamp(rendered(80)));
    live.getMetadata().getLabels().remove("svccontroller.k3s.cattle.io/svcname");
    assertThat(AppliedHash.unchanged(live, AppliedHash.stamp(rendered(80)))).isFalse();
  }
}
