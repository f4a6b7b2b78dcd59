package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** netsvc.witness.enabled: auto is on exactly in a pod using its own cluster's API. */
class WitnessWiringTest {
  static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1");

  @Test
  void autoIsOnInAPodTalkingToItsOwnCluster() {
    assertThat(WitnessWiring.enabled("auto", POD, "10.43.0.1")).isTrue();
    assertThat(WitnessWiring.enabled("auto", Map.of(), "10.43.0.1")).as("no pod").isFalse();
    // a sim (or a test) run inside a pod talks to its own embedded API
    assertThat(WitnessWiring.enabled("auto", POD, "127.0.0.1")).as("a sim in a pod").isFalse();
    assertThat(
            WitnessWiring.enabled(
                "auto", Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"), "[FD00::1]"))
        .isTrue();
  }

  @Test
  void onAndOffOverride() {
    assertThat(WitnessWiring.enabled("on", Map.of(), "127.0.0.1")).isTrue();
    assertThat(WitnessWiring.enabled("true", Map.of(), "127.0.0.1")).isTrue();
    assertThat(WitnessWiring.enabled("off", POD, "10.43.0.1")).isFalse();
    assertThat(WitnessWiring.enabled("false", POD, "10.43.0.1")).isFalse();
  }
}
