package io.netsvc.nodeagent.netpol.conformance;

import static io.netsvc.nodeagent.netpol.conformance.Policies.cidr;
import static io.netsvc.nodeagent.netpol.conformance.Policies.egress;
import static io.netsvc.nodeagent.netpol.conformance.Policies.from;
import static io.netsvc.nodeagent.netpol.conformance.Policies.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.lab.NetnsLab;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * IPv6 with real packets, and D6: {@code ::/0} means all of IPv6. kube-router stores it as {@code
 * 2000::/3} + {@code fd00::/8}, so a peer in {@code fc00::/8} (outside {@code fd00::/8}) is not
 * matched by "everything"; here it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6PolicyIT {
  static final Duration T = Duration.ofMillis(1500);
  NetnsLab lab;
  RenderingDataplane node;

  static final NetpolPod A = pod6("a", "10.129.0.10", "fc00:129::10");
  static final NetpolPod B = pod6("b", "10.129.0.11", "fc00:129::11");

  static NetpolPod pod6(String name, String v4, String v6) {
    return new NetpolPod("x", name, "n1", Map.of("pod", name), v4, v6, List.of(), false, false);
  }

  @BeforeAll
  void start() throws Exception {
    assumeTrue(LabSupport.usable(), LabSupport.reason());
    NetnsLab.removeLeftovers("np6");
    lab = new NetnsLab("np6");
    lab.addNode("n1", "10.251.0.1", "10.129.0.0/24", "fd00:251::1", "fc00:129::/64");
    for (NetpolPod p : List.of(A, B)) {
      lab.addPod("x", p.name(), "n1", p.ipv4(), p.ipv6(), List.of(80), List.of());
    }
    node =
        new RenderingDataplane(
            new NetnsBackend(lab.nodeNamespace("n1")), EnumSet.of(IpFamily.IPV4, IpFamily.IPV6));
  }

  @AfterAll
  void stop() {
    if (lab != null) lab.close();
  }

  private void enforce(NetworkPolicyInfo... policies) {
    List<NetpolPod> pods = List.of(A, B);
    ClusterView view = ClusterView.of(List.of(new NamespaceInfo("x", Map.of())), pods);
    List<CompiledPolicy> compiled =
        java.util.Arrays.stream(policies).map(p -> PolicyCompiler.compile(p, view)).toList();
    NetpolDataplane.Report r =
        node.apply(
            new NetpolDataplane.State(
                "n1", List.of("10.129.0.0/24", "fc00:129::/64"), pods, compiled));
    assertThat(r.error()).isNull();
  }

  private boolean reaches(String ip) throws Exception {
    return lab.probe("x", "a", ip, 80, "TCP", T);
  }

  @Test
  void allOfIpv6IsAllOfIpv6() throws Exception {
    enforce();
    assertThat(reaches(B.ipv6())).isTrue();

    enforce(egress("x", "only-2000", pod("a"), from(cidr("2000::/3"))));
    assertThat(reaches(B.ipv6())).isFalse();
    assertThat(reaches(B.ipv4())).isFalse();

    enforce(egress("x", "all-v6", pod("a"), from(cidr("::/0"))));
    assertThat(reaches(B.ipv6())).isTrue();
    // ::/0 says nothing about IPv4
    assertThat(reaches(B.ipv4())).isFalse();

    enforce(egress("x", "all-v6-but-b", pod("a"), from(cidr("::/0", B.ipv6() + "/128"))));
    assertThat(reaches(B.ipv6())).isFalse();
  }
}
