package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.block;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.nsPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.podPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static io.netsvc.nodeagent.netpol.model.PacketSim.Verdict.ACCEPT;
import static io.netsvc.nodeagent.netpol.model.PacketSim.Verdict.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.nodeagent.netpol.model.PacketSim.Packet;
import io.netsvc.nodeagent.netpol.model.PacketSim.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What packets meet, through rendered rules: the spec's semantics and the kube-router fixes. */
class EnforcementTest {
  static final List<String> IN = List.of("Ingress");
  static final List<String> OUT = List.of("Egress");

  /** x/a, x/b, y/a on n1; x/c, y/b on n2. x/a serves "http" on 8080, y/b on 9090. */
  static ModelCluster cluster() {
    return new ModelCluster()
        .namespace("x", "team", "x")
        .namespace("y", "team", "y")
        .pod("x", "a", "n1", "10.42.0.10", "pod=a,app=x", new NamedPort("http", "TCP", 8080))
        .pod("x", "b", "n1", "10.42.0.11", "pod=b,app=x")
        .pod("x", "c", "n2", "10.42.1.12", "pod=c")
        .pod("y", "a", "n1", "10.42.0.20", "pod=a")
        .pod("y", "b", "n2", "10.42.1.21", "pod=b", new NamedPort("http", "TCP", 9090));
  }

  @Test
  void withoutPoliciesEverythingFlows() {
    ModelCluster cluster = cluster();
    assertThat(cluster.tcp("x/a", "x/b", 80)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("x/c", "y/a", 80)).isEqualTo(ACCEPT);
  }

  @ParameterizedTest(name = "{0} → {1}:{2} = {3}")
  @CsvSource({
    "x/b, x/a, 80, ACCEPT",
    "x/b, x/a, 81, REJECT",
    "x/c, x/a, 80, REJECT", // pod=c, other node
    "y/b, x/a, 80, REJECT", // pod=b of another namespace
    "x/a, x/b, 80, ACCEPT", // x/b is not selected
    "x/a, y/b, 81, ACCEPT", // egress is not isolated
  })
  void ingressFromPodSelectorOnOnePort(String from, String to, int port, Verdict v) {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(podPeer("pod", "b")), tcp("80"))),
                    null));
    assertThat(cluster.tcp(from, to, port)).isEqualTo(v);
  }

  @Test
  void theNodeAlwaysReachesItsPods() {
    ModelCluster cluster = cluster().policy(policy("x", "deny", sel(), IN, null, null));
    assertThat(cluster.tcp("y/a", "x/a", 80)).isEqualTo(REJECT);
    Verdict v =
        cluster
            .sim(ModelCluster.N1, IpFamily.IPV4)
            .run("OUTPUT", Packet.tcp("10.42.0.1", "10.42.0.10", 80));
    assertThat(v).isEqualTo(ACCEPT);
  }

  @Test
  void d1AnUnprogrammedLocalPodCannotTalkUntilItsChainExists() {
    ModelCluster cluster =
        cluster(); // x/new (10.42.0.99) is running on n1, but the agent has not seen it yet
    PacketSim n1 = cluster.sim(ModelCluster.N1, IpFamily.IPV4);
    assertThat(n1.run("FORWARD", Packet.tcp("10.42.0.99", "10.42.1.12", 80))).isEqualTo(REJECT);
    assertThat(n1.run("FORWARD", Packet.tcp("10.42.1.12", "10.42.0.99", 80))).isEqualTo(REJECT);
    assertThat(n1.run("FORWARD", Packet.tcp("10.42.0.10", "10.42.0.99", 80))).isEqualTo(REJECT);
    assertThat(n1.run("INPUT", Packet.tcp("10.42.0.99", "10.42.0.1", 53))).isEqualTo(REJECT);
    // the node itself may still reach it (kubelet probes), and other nodes' pods are not judged
    assertThat(n1.run("OUTPUT", Packet.tcp("10.42.0.1", "10.42.0.99", 80))).isEqualTo(ACCEPT);
    assertThat(n1.run("FORWARD", Packet.tcp("10.42.1.12", "10.42.1.21", 80))).isEqualTo(ACCEPT);
    // once programmed, it talks (no policy selects it)
    cluster.pod("x", "new", "n1", "10.42.0.99", "pod=new");
    assertThat(cluster.tcp("x/new", "x/c", 80)).isEqualTo(ACCEPT);
    // a programmed pod reaches the node's own address in the pod CIDR (the bridge)
    assertThat(
            cluster
                .sim(ModelCluster.N1, IpFamily.IPV4)
                .run("INPUT", Packet.tcp("10.42.0.10", "10.42.0.1", 53)))
        .isEqualTo(ACCEPT);
  }

  @Test
  void d2AnIngressRuleNeverApprovesEgress() {
    // selects x/a and x/b; ingress from app=x; egress only DNS
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "both",
                    sel("app", "x"),
                    List.of("Ingress", "Egress"),
                    List.of(rule(List.of(podPeer("app", "x")))),
                    List.of(rule(List.of(), new Port("UDP", "53", null)))));
    assertThat(cluster.tcp("x/a", "x/b", 8080)).isEqualTo(REJECT); // kube-router v2.6.3 allows it
    assertThat(cluster.connect("x/a", "y/b", "udp", "53", IpFamily.IPV4)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("y/a", "x/b", 8080)).isEqualTo(REJECT);
  }

  @Test
  void d3IcmpEchoPassesDenyAllAsInKubeRouter() {
    ModelCluster cluster = cluster().policy(policy("x", "deny", sel(), IN, null, null));
    assertThat(cluster.connect("y/a", "x/a", "icmp", "8", IpFamily.IPV4)).isEqualTo(ACCEPT);
    assertThat(cluster.connect("y/a", "x/a", "ipv6-icmp", "128", IpFamily.IPV6)).isEqualTo(ACCEPT);
    assertThat(cluster.connect("y/a", "x/a", "icmp", "13", IpFamily.IPV4))
        .isEqualTo(REJECT); // timestamp
    assertThat(cluster.connect("y/a", "x/a", "udp", "53", IpFamily.IPV4)).isEqualTo(REJECT);
  }

  @ParameterizedTest(name = "x/a → {0} = {1}")
  @CsvSource({"10.0.1.5, ACCEPT", "10.0.2.5, ACCEPT", "10.9.0.1, ACCEPT", "11.0.0.1, REJECT"})
  void d4OnePeersExceptDoesNotMaskAnotherPeersCidr(String dst, Verdict v) {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    OUT,
                    null,
                    List.of(
                        rule(List.of(block("10.0.0.0/16", "10.0.1.0/24"), block("10.0.0.0/8"))))));
    assertThat(
            cluster
                .sim(ModelCluster.N1, IpFamily.IPV4)
                .run("FORWARD", Packet.tcp("10.42.0.10", dst, 80)))
        .isEqualTo(v);
  }

  @ParameterizedTest(name = "x/a → {0} = {1}")
  @CsvSource({"10.1.2.3, ACCEPT", "10.2.0.1, ACCEPT", "11.0.0.1, REJECT"})
  void d5SamePrefixAsCidrAndAsAnotherPeersExcept(String dst, Verdict v) {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    OUT,
                    null,
                    List.of(
                        rule(List.of(block("10.1.0.0/16"), block("10.0.0.0/8", "10.1.0.0/16"))))));
    assertThat(
            cluster
                .sim(ModelCluster.N1, IpFamily.IPV4)
                .run("FORWARD", Packet.tcp("10.42.0.10", dst, 80)))
        .isEqualTo(v);
  }

  @ParameterizedTest(name = "x/a → {0} = {1}")
  @CsvSource({"fc00::1, ACCEPT", "2001:db8::1, ACCEPT", "fe80::1, ACCEPT", "fd12::1, REJECT"})
  void d6AllOfIpv6MeansAllOfIt(String dst, Verdict v) {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    OUT,
                    null,
                    List.of(rule(List.of(block("::/0", "fd00::/8"))))));
    assertThat(
            cluster
                .sim(ModelCluster.N1, IpFamily.IPV6)
                .run("FORWARD", Packet.tcp("fd00:42::10", dst, 80)))
        .isEqualTo(v);
  }

  @Test
  void d7EgressNamedPortWithoutPeersMeansThePodsExposingItAnywhere() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x", "p", sel("pod", "a"), OUT, null, List.of(rule(List.of(), tcp("http")))));
    assertThat(cluster.tcp("x/a", "y/b", 9090))
        .isEqualTo(ACCEPT); // the name lives in namespace y only
    assertThat(cluster.tcp("x/a", "y/b", 8080)).isEqualTo(REJECT);
    // not "any destination on 9090": an address that is no pod exposes no name
    assertThat(
            cluster
                .sim(ModelCluster.N1, IpFamily.IPV4)
                .run("FORWARD", Packet.tcp("10.42.0.10", "8.8.8.8", 9090)))
        .isEqualTo(REJECT);
  }

  @Test
  void d8EgressIpBlockWithNamedPortMatchesThePodsInside() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    OUT,
                    null,
                    List.of(rule(List.of(block("10.42.1.0/24")), tcp("http")))));
    assertThat(cluster.tcp("x/a", "y/b", 9090))
        .isEqualTo(ACCEPT); // kube-router allows nothing here
    assertThat(cluster.tcp("x/a", "x/c", 9090)).isEqualTo(REJECT); // x/c exposes no "http"
  }

  @Test
  void ingressNamedPortResolvesPerTargetPod() {
    ModelCluster cluster =
        cluster().policy(policy("y", "p", sel(), IN, List.of(rule(List.of(), tcp("http"))), null));
    assertThat(cluster.tcp("x/a", "y/b", 9090)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("x/a", "y/b", 8080)).isEqualTo(REJECT);
    assertThat(cluster.tcp("x/a", "y/a", 9090)).isEqualTo(REJECT); // y/a has no "http"
  }

  @Test
  void dualStackFamiliesAreEnforcedAlike() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(nsPeer("team", "y")))),
                    null));
    for (IpFamily f : IpFamily.values()) {
      assertThat(cluster.connect("y/b", "x/a", "tcp", "80", f)).isEqualTo(ACCEPT);
      assertThat(cluster.connect("x/b", "x/a", "tcp", "80", f)).isEqualTo(REJECT);
    }
  }

  @Test
  void policiesAddUpAndProtocolsAreNotMixed() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy("x", "p80", sel("pod", "a"), IN, List.of(rule(List.of(), tcp("80"))), null))
            .policy(
                policy(
                    "x",
                    "sctp81",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(), new Port("SCTP", "81", null))),
                    null));
    assertThat(cluster.tcp("y/a", "x/a", 80)).isEqualTo(ACCEPT);
    assertThat(cluster.connect("y/a", "x/a", "sctp", "81", IpFamily.IPV4)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("y/a", "x/a", 81)).isEqualTo(REJECT);
    assertThat(cluster.tcp("y/a", "x/a", 82)).isEqualTo(REJECT);
  }

  @Test
  void portRangesAreInclusive() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "p",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(), new Port("TCP", "8000", 8080))),
                    null));
    assertThat(cluster.tcp("y/a", "x/a", 8000)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("y/a", "x/a", 8080)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("y/a", "x/a", 8081)).isEqualTo(REJECT);
  }

  @Test
  void aMalformedPolicyDoesNotStopTheOthers() {
    ModelCluster cluster =
        cluster()
            .policy(
                policy(
                    "x",
                    "bad",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(block("10.0.0.0/33")), new Port("ICMP", "1", null))),
                    null))
            .policy(
                policy(
                    "x",
                    "good",
                    sel("pod", "a"),
                    IN,
                    List.of(rule(List.of(podPeer("pod", "b")))),
                    null));
    assertThat(cluster.tcp("x/b", "x/a", 80)).isEqualTo(ACCEPT);
    assertThat(cluster.tcp("y/a", "x/a", 80)).isEqualTo(REJECT);
  }
}
