package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** netsvc.witness.enabled: auto is on exactly in a pod; on and off override. */
class WitnessWiringTest {
  static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1");

  @Test
  void autoIsOnInAPodOnly() {
    assertThat(WitnessWiring.enabled("auto", POD)).isTrue();
    assertThat(WitnessWiring.enabled("auto", Map.of())).isFalse();
  }

  @Test
  void onAndOffOverride() {
    assertThat(WitnessWiring.enabled("on", Map.of())).isTrue();
    assertThat(WitnessWiring.enabled("true", Map.of())).isTrue();
    assertThat(WitnessWiring.enabled("off", POD)).isFalse();
    assertThat(WitnessWiring.enabled("false", POD)).isFalse();
  }
}
