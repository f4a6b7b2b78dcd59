package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.NodeSettings;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's dataplane as {@code netsvc agent} wires it, over the in-memory kernel instead of the
 * host's: what the NodeActor sends lands in the node's tables, per family the node has.
 */
class SystemDataplanesTest {

  private static NetpolDataplane.Report applyEmpty(InMemoryBackend kernel, NodeSettings node) {
    AgentDataplanes planes = SystemDataplanes.of(kernel, node);
    assertThat(planes.podCidrs().apply(node.nodeName())).isEmpty();
    return planes
        .dataplane()
        .apply(node.nodeName())
        .apply(
            new NetpolDataplane.State(
                node.nodeName(), planes.podCidrs().apply(node.nodeName()), List.of(), List.of()));
  }

  @Test
  void anIpv4NodeProgramsIptablesAndLeavesIp6tablesAlone() throws Exception {
    InMemoryBackend kernel = new InMemoryBackend();
    NetpolDataplane.Report report =
        applyEmpty(kernel, new NodeSettings("n1", List.of("192.168.1.10"), List.of()));
    assertThat(report.error()).isNull();
    assertThat(kernel.saveFilterTable(IpFamily.IPV4)).contains("-A FORWARD", "KUBE-ROUTER-FORWARD");
    assertThat(kernel.saveFilterTable(IpFamily.IPV6)).doesNotContain("KUBE-ROUTER");
  }

  @Test
  void aDualStackNodeProgramsBothFamilies() throws Exception {
    InMemoryBackend kernel = new InMemoryBackend();
    NetpolDataplane.Report report =
        applyEmpty(kernel, new NodeSettings("n1", List.of("192.168.1.10", "fd00::10"), List.of()));
    assertThat(report.error()).isNull();
    assertThat(kernel.saveFilterTable(IpFamily.IPV4)).contains("KUBE-ROUTER-FORWARD");
    assertThat(kernel.saveFilterTable(IpFamily.IPV6)).contains("KUBE-ROUTER-FORWARD");
  }
}
