package io.netsvc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An event's name must be a DNS subdomain, whatever the name of the object it is about. */
class EventRecorderTest {
  @Test
  void theEventsNameStartsWithTheObjectsNameMadeValid() {
    assertThat(EventRecorder.nameBase("web")).isEqualTo("web");
    assertThat(EventRecorder.nameBase("kube-system.coredns")).isEqualTo("kube-system.coredns");
    assertThat(EventRecorder.nameBase("my_App")).isEqualTo("my-app");
    assertThat(EventRecorder.nameBase("_x_")).isEqualTo("x");
    assertThat(EventRecorder.nameBase("__")).isEqualTo("event");
    assertThat(EventRecorder.nameBase("a".repeat(300))).hasSize(200);
  }
}
