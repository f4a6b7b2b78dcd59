package io.netsvc.actors.node.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.AgentCheck;
import io.netsvc.k8s.records.NodeAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentAdmissionTest {
  private static final List<NodeAddress> NODE =
      List.of(
          new NodeAddress("InternalIP", "10.0.0.7"),
          new NodeAddress("InternalIP", "fd00::7"),
          new NodeAddress("Hostname", "Worker-7"));

  private static AgentAdmission.Decision decide(String host) {
    return AgentAdmission.decide(AgentCheck.NODE_ADDRESS, Optional.of(host), NODE);
  }

  @Test
  void anAgentOnOneOfTheNodesAddressesIsBelieved() {
    assertThat(decide("10.0.0.7")).isInstanceOf(AgentAdmission.Accept.class);
    // Artery writes IPv6 hosts in brackets, and may spell them out in full
    assertThat(decide("[fd00:0:0:0:0:0:0:7]")).isInstanceOf(AgentAdmission.Accept.class);
    assertThat(decide("worker-7.")).isInstanceOf(AgentAdmission.Accept.class);
  }

  @Test
  void anAgentElsewhereIsRefusedWithTheReason() {
    assertThat(decide("10.0.0.8"))
        .isEqualTo(
            new AgentAdmission.Refuse(
                "its cluster address 10.0.0.8 is not one of the node's addresses"
                    + " [10.0.0.7, fd00::7, Worker-7]"));
    assertThat(decide("10.0.0.70")).isInstanceOf(AgentAdmission.Refuse.class);
    assertThat(decide("fd00::70")).isInstanceOf(AgentAdmission.Refuse.class);
  }

  @Test
  void aLocalAgentIsRefusedAndAnUnknownNodeWaits() {
    assertThat(AgentAdmission.decide(AgentCheck.NODE_ADDRESS, Optional.empty(), NODE))
        .isInstanceOf(AgentAdmission.Refuse.class);
    assertThat(AgentAdmission.decide(AgentCheck.NODE_ADDRESS, Optional.of("10.0.0.7"), null))
        .isEqualTo(new AgentAdmission.Unknown());
  }

  @Test
  void offBelievesEveryone() {
    assertThat(AgentAdmission.decide(AgentCheck.OFF, Optional.empty(), null))
        .isEqualTo(new AgentAdmission.Accept());
    assertThat(AgentAdmission.decide(AgentCheck.OFF, Optional.of("10.9.9.9"), NODE))
        .isEqualTo(new AgentAdmission.Accept());
  }
}
