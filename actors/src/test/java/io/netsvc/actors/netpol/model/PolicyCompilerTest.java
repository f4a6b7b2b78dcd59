package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.block;
import static io.netsvc.actors.netpol.model.NetpolFixtures.both;
import static io.netsvc.actors.netpol.model.NetpolFixtures.compile;
import static io.netsvc.actors.netpol.model.NetpolFixtures.egress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.expr;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ip;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ip6;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.pods;
import static io.netsvc.actors.netpol.model.NetpolFixtures.port;
import static io.netsvc.actors.netpol.model.NetpolFixtures.range;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Selection and peer constructs of the NetworkPolicy spec, on the e2e harness (x, y, z × a, b, c).
 */
class PolicyCompilerTest {
  static final SelectorInfo ALL = SelectorInfo.ALL;

  @Test
  void denyAllIngressSelectsEveryPodOfItsNamespaceAndAllowsNothing() {
    CompiledPolicy p = compile(ingress("x", "deny", ALL));
    assertThat(p.targets()).containsExactly("x/a", "x/b", "x/c");
    assertThat(p.targetIps().ipv4()).containsExactly(ip("x", "a"), ip("x", "b"), ip("x", "c"));
    assertThat(p.targetIps().ipv6()).containsExactly(ip6("x", "a"), ip6("x", "b"), ip6("x", "c"));
    assertThat(p.types()).containsExactly(Direction.INGRESS);
    assertThat(p.ingress()).isEmpty();
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void targetsAreGroupedByNode() {
    CompiledPolicy p = compile(ingress("z", "deny", ALL));
    assertThat(p.targetsOn("n2")).containsExactly("z/a", "z/b", "z/c");
    assertThat(p.targetsOn("n1")).isEmpty();
  }

  @Test
  void allowAllIsOneRuleWithAnyPeerAndAnyPort() {
    CompiledRule r = compile(ingress("x", "all", ALL, rule(List.of()))).ingress().get(0);
    assertThat(r.anyPeer()).isTrue();
    assertThat(r.anyPort()).isTrue();
    assertThat(r.allowsNothing()).isFalse();
  }

  static Stream<Arguments> peers() {
    return Stream.of(
        // e2e 3: podSelector alone stays in the policy's namespace
        Arguments.of(List.of(NetpolFixtures.pods(labels("pod", "b"))), List.of("x/b")),
        // e2e 5: namespaceSelector {} is every namespace
        Arguments.of(List.of(NetpolFixtures.namespaces(ALL)), all9()),
        // e2e 6, by the label the view adds to every namespace (e2e 41)
        Arguments.of(
            List.of(NetpolFixtures.namespaces(labels("kubernetes.io/metadata.name", "y"))),
            List.of("y/a", "y/b", "y/c")),
        // e2e 10: both in one peer is AND
        Arguments.of(
            List.of(both(expr("ns", "NotIn", "x"), labels("pod", "b"))), List.of("y/b", "z/b")),
        // e2e 9: two peers are OR
        Arguments.of(
            List.of(
                NetpolFixtures.namespaces(expr("ns", "NotIn", "x")),
                NetpolFixtures.pods(labels("pod", "b"))),
            List.of("x/b", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c")),
        // e2e 11
        Arguments.of(
            List.of(both(expr("ns", "NotIn", "x"), expr("pod", "In", "b", "c"))),
            List.of("y/b", "y/c", "z/b", "z/c")),
        // e2e 4: empty pod and namespace selectors in one peer: every pod
        Arguments.of(List.of(both(ALL, ALL)), all9()),
        // e2e 7
        Arguments.of(List.of(NetpolFixtures.pods(expr("pod", "In", "b"))), List.of("x/b")),
        // a selector that picks nothing allows nothing, but keeps its (empty) pod set
        Arguments.of(List.of(NetpolFixtures.pods(labels("pod", "nobody"))), List.of()));
  }

  private static List<String> all9() {
    List<String> out = new ArrayList<>();
    for (String n : NetpolFixtures.NAMESPACES)
      for (String p : NetpolFixtures.PODS) out.add(n + "/" + p);
    return out;
  }

  @ParameterizedTest
  @MethodSource("peers")
  void selectorPeersResolveToPodIps(List<Peer> peers, List<String> expected) {
    CompiledRule r = compile(ingress("x", "p", labels("pod", "a"), rule(peers))).ingress().get(0);
    List<String> v4 =
        expected.stream().map(k -> ip(k.split("/")[0], k.split("/")[1])).sorted().toList();
    List<String> v6 =
        expected.stream().map(k -> ip6(k.split("/")[0], k.split("/")[1])).sorted().toList();
    assertThat(r.podPeers()).isTrue();
    assertThat(r.anyPeer()).isFalse();
    assertThat(r.peerIps().ipv4()).containsExactlyElementsOf(v4);
    assertThat(r.peerIps().ipv6()).containsExactlyElementsOf(v6);
  }

  @Test
  void podsThatPoliciesCannotActOnAreNeitherTargetsNorPeers() {
    List<NetpolPod> pods = new ArrayList<>(pods());
    pods.add(
        new NetpolPod(
            "x", "host", "n1", Map.of("pod", "a"), "192.168.0.5", null, null, true, false));
    pods.add(
        new NetpolPod(
            "x", "done", "n1", Map.of("pod", "a"), "10.42.0.99", null, null, false, true));
    pods.add(new NetpolPod("x", "noip", "n1", Map.of("pod", "a"), null, null, null, false, false));
    CompiledPolicy p =
        PolicyCompiler.compile(
            ingress("x", "p", labels("pod", "a"), rule(List.of(NetpolFixtures.pods(ALL)))),
            namespaces(),
            pods);
    assertThat(p.targets()).containsExactly("x/a");
    assertThat(p.ingress().get(0).peerIps().ipv4()).doesNotContain("192.168.0.5", "10.42.0.99");
  }

  @Test
  void podIpsAreCanonicalised() {
    NetpolPod odd =
        new NetpolPod(
            "x",
            "odd",
            "n1",
            Map.of("pod", "a"),
            "10.42.0.50",
            "FD00:42:0:0::50",
            null,
            false,
            false);
    CompiledPolicy p =
        PolicyCompiler.compile(ingress("x", "p", labels("pod", "a")), namespaces(), List.of(odd));
    assertThat(p.targetIps().ipv6()).containsExactly("fd00:42::50");
  }

  @Test
  void ipBlockPeersKeepTheirOwnExcepts() {
    CompiledRule r =
        compile(
                egress(
                    "x",
                    "p",
                    ALL,
                    rule(
                        List.of(
                            block("10.0.0.0/16", "10.0.1.0/24"),
                            block("10.0.0.0/8"),
                            block("fd00::/8", "fd00:42::/64")))))
            .egress()
            .get(0);
    assertThat(r.cidrPeers())
        .containsExactly(
            new CidrPeer(0, IpFamily.IPV4, "10.0.0.0/16", List.of("10.0.1.0/24")),
            new CidrPeer(1, IpFamily.IPV4, "10.0.0.0/8", List.of()),
            new CidrPeer(2, IpFamily.IPV6, "fd00::/8", List.of("fd00:42::/64")));
    assertThat(r.cidrPeers(IpFamily.IPV6)).hasSize(1);
    assertThat(r.podPeers()).isFalse();
  }

  @Test
  void exceptsAreNormalisedWithoutChangingMeaning() {
    CompiledPolicy p =
        compile(
            ingress(
                "x",
                "p",
                ALL,
                rule(
                    List.of(
                        // nested except is redundant; outside and other-family ones exclude nothing
                        block(
                            "10.1.2.3/16", "10.1.0.0/20", "10.1.1.0/24", "11.0.0.0/8", "fd00::/8"),
                        // except equal to the cidr leaves nothing
                        block("10.9.0.0/16", "10.9.0.0/16")))));
    CompiledRule r = p.ingress().get(0);
    assertThat(r.cidrPeers())
        .containsExactly(new CidrPeer(0, IpFamily.IPV4, "10.1.0.0/16", List.of("10.1.0.0/20")));
    assertThat(p.problems())
        .anyMatch(s -> s.contains("11.0.0.0/8") && s.contains("outside"))
        .anyMatch(s -> s.contains("fd00::/8") && s.contains("family"))
        .anyMatch(s -> s.contains("peer 1") && s.contains("covers the whole cidr"));
  }

  @Test
  void everyProtocolAndPortShape() {
    CompiledRule r =
        compile(
                ingress(
                    "x",
                    "p",
                    ALL,
                    rule(
                        List.of(),
                        port("TCP", "80"),
                        port(null, "443"), // absent protocol is TCP, as the API defaults it
                        port("UDP", null), // protocol only: every UDP port
                        range("SCTP", 53, 84),
                        port("TCP", "80")))) // duplicate folds
            .ingress()
            .get(0);
    assertThat(r.anyPort()).isFalse();
    assertThat(r.ports())
        .containsExactly(
            new PortMatch("tcp", 80, 80),
            new PortMatch("tcp", 443, 443),
            new PortMatch("udp", 0, 0),
            new PortMatch("sctp", 53, 84));
  }
}
