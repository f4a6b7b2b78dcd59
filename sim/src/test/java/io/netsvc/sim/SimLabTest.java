package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where this host joins the lab's fabric for agent processes: never on a node's address. */
class SimLabTest {
  @Test
  void theHostAddressIsNoNodesAddress() {
    assertThat(SimLab.hostAddressFor(List.of("172.30.0.2", "172.30.0.3")))
        .isEqualTo("172.30.255.254");
    assertThat(SimLab.hostAddressFor(List.of("172.30.0.2", "172.30.255.254")))
        .isEqualTo("10.255.255.254");
  }
}
