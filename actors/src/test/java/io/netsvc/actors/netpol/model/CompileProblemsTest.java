package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.block;
import static io.netsvc.actors.netpol.model.NetpolFixtures.compile;
import static io.netsvc.actors.netpol.model.NetpolFixtures.expr;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.policy;
import static io.netsvc.actors.netpol.model.NetpolFixtures.port;
import static io.netsvc.actors.netpol.model.NetpolFixtures.range;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * D9/D10: an unusual or malformed policy is compiled as far as it makes sense; what is wrong is a
 * problem of that policy and allows nothing; it never throws and never widens anything.
 */
class CompileProblemsTest {
  static final SelectorInfo ALL = SelectorInfo.ALL;
  static final Rule ANY = new Rule(List.of(), List.of());

  static Stream<Arguments> policyTypes() {
    return Stream.of(
        // the API server's defaulting: Ingress, plus Egress when egress rules exist (D10)
        Arguments.of(List.of(), List.of(ANY), null, Set.of(Direction.INGRESS)),
        Arguments.of(List.of(), null, List.of(ANY), Set.of(Direction.INGRESS, Direction.EGRESS)),
        Arguments.of(List.of(), null, List.of(), Set.of(Direction.INGRESS)),
        Arguments.of(List.of("Egress"), List.of(ANY), null, Set.of(Direction.EGRESS)),
        Arguments.of(
            List.of("Ingress", "Egress"), null, null, Set.of(Direction.INGRESS, Direction.EGRESS)));
  }

  @ParameterizedTest
  @MethodSource("policyTypes")
  void effectivePolicyTypes(
      List<String> types, List<Rule> in, List<Rule> out, Set<Direction> expected) {
    CompiledPolicy p = compile(policy("x", "p", ALL, types, in, out));
    assertThat(p.types()).isEqualTo(expected);
    // rules of a direction the policy does not govern are ignored, as the spec says
    if (!expected.contains(Direction.INGRESS)) assertThat(p.ingress()).isEmpty();
    if (!expected.contains(Direction.EGRESS)) assertThat(p.egress()).isEmpty();
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void unknownPolicyTypeIsAProblem() {
    CompiledPolicy p = compile(policy("x", "p", ALL, List.of("Sideways"), null, null));
    assertThat(p.types()).isEmpty();
    assertThat(p.problems()).singleElement().asString().contains("Sideways");
  }

  static Stream<Arguments> malformedPorts() {
    return Stream.of(
        Arguments.of(port("ICMP", "80"), "unsupported protocol"),
        Arguments.of(port("TCP", "0"), "out of range"),
        Arguments.of(port("TCP", "70000"), "out of range"),
        Arguments.of(port("TCP", "123456789012"), "out of range"),
        Arguments.of(range("TCP", 90, 80), "endPort 80"),
        Arguments.of(range("TCP", 90, 70000), "endPort 70000"),
        Arguments.of(new Port("TCP", null, 90), "endPort without port"),
        Arguments.of(new Port("TCP", "http", 90), "endPort with the named port"),
        Arguments.of(port("TCP", "Bad_Name"), "invalid port name"),
        Arguments.of(port("TCP", "a--b"), "invalid port name"),
        Arguments.of(port("TCP", "1234567890123456x"), "invalid port name"));
  }

  @ParameterizedTest
  @MethodSource("malformedPorts")
  void aMalformedPortAllowsNothingButItsNeighboursStillWork(Port bad, String problem) {
    CompiledPolicy p =
        compile(
            ingress(
                "x", "p", ALL, rule(List.of(), bad), rule(List.of(), bad, port("TCP", "8080"))));
    assertThat(p.problems()).hasSize(2).allMatch(s -> s.contains(problem));
    assertThat(p.ingress().get(0).allowsNothing()).isTrue();
    assertThat(p.ingress().get(0).anyPort()).isFalse(); // not widened to "all ports"
    assertThat(p.ingress().get(1).ports()).containsExactly(new PortMatch("tcp", 8080, 8080));
  }

  static Stream<Arguments> malformedPeers() {
    return Stream.of(
        Arguments.of(block("10.0.0.0/33"), "invalid ipBlock cidr"),
        Arguments.of(block("10.0.0.0"), "invalid ipBlock cidr"),
        Arguments.of(block("10.0.0.0/8", "zzz"), "invalid except"),
        Arguments.of(new Peer(ALL, null, new IpBlock("10.0.0.0/8", null)), "ipBlock together"),
        Arguments.of(new Peer(null, null, null), "no podSelector"),
        Arguments.of(NetpolFixtures.pods(expr("pod", "Bogus", "a")), "unknown operator"),
        Arguments.of(NetpolFixtures.namespaces(expr("ns", "In")), "needs values"));
  }

  @ParameterizedTest
  @MethodSource("malformedPeers")
  void aMalformedPeerAllowsNothingButItsNeighboursStillWork(Peer bad, String problem) {
    CompiledPolicy p =
        compile(
            ingress(
                "x",
                "p",
                ALL,
                rule(List.of(bad)),
                rule(List.of(bad, NetpolFixtures.pods(labels("pod", "b"))))));
    assertThat(p.problems()).hasSize(2).allMatch(s -> s.contains(problem));
    CompiledRule alone = p.ingress().get(0);
    assertThat(alone.allowsNothing()).isTrue();
    assertThat(alone.anyPeer()).isFalse(); // not widened to "any peer"
    assertThat(p.ingress().get(1).peerIps().ipv4()).containsExactly(NetpolFixtures.ip("x", "b"));
  }

  @Test
  void anInvalidTargetSelectorSelectsNoPod() {
    CompiledPolicy p = compile(ingress("x", "p", expr("pod", "In")));
    assertThat(p.targets()).isEmpty();
    assertThat(p.problems()).singleElement().asString().contains("podSelector");
  }

  @Test
  void aPolicyWithEverythingWrongStillCompiles() {
    CompiledPolicy p =
        compile(
            policy(
                "x",
                "p",
                ALL,
                List.of("Ingress", "Egress", "Other"),
                List.of(rule(List.of(block("x/y")), port("GRE", "1"))),
                List.of(rule(List.of(new Peer(null, null, null)), range("UDP", 5, 1)))));
    assertThat(p.targets()).hasSize(3);
    assertThat(p.problems()).hasSize(5);
    assertThat(p.ingress()).singleElement().matches(CompiledRule::allowsNothing);
    assertThat(p.egress()).singleElement().matches(CompiledRule::allowsNothing);
  }
}
