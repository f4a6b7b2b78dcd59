package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.block;
import static io.netsvc.actors.netpol.model.NetpolFixtures.compile;
import static io.netsvc.actors.netpol.model.NetpolFixtures.egress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ip;
import static io.netsvc.actors.netpol.model.NetpolFixtures.ip6;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.port;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Named ports, resolved per pod as the spec says (kube-router deviations D7 and D8 fixed). */
class NamedPortsTest {
  static final SelectorInfo ALL = SelectorInfo.ALL;

  private static NetpolPod web(String ns, String name, String ip, int port) {
    return new NetpolPod(
        ns,
        name,
        "n1",
        Map.of("app", "web"),
        ip,
        null,
        List.of(new NamedPort("http", "TCP", port)),
        false,
        false);
  }

  @Test
  void ingressNamesResolvePerTargetPod() {
    List<NetpolPod> pods =
        List.of(
            web("x", "a", "10.0.0.1", 8080),
            web("x", "b", "10.0.0.2", 9090),
            web("x", "c", "10.0.0.3", 8080),
            web("y", "d", "10.0.0.4", 7070)); // not a target: its 7070 must not appear
    pods = new ArrayList<>(pods);
    pods.add(
        new NetpolPod("x", "e", "n1", Map.of("app", "web"), "10.0.0.5", null, null, false, false));
    CompiledRule r =
        PolicyCompiler.compile(
                ingress("x", "p", ALL, rule(List.of(), port("TCP", "http"))), namespaces(), pods)
            .ingress()
            .get(0);
    assertThat(r.namedGroups())
        .containsExactly(
            new NamedGroup("tcp", 8080, new FamilyIps(List.of("10.0.0.1", "10.0.0.3"), List.of())),
            new NamedGroup("tcp", 9090, new FamilyIps(List.of("10.0.0.2"), List.of())));
    assertThat(r.ports()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}: matches nothing, and that is not a problem")
  @CsvSource({"UDP, serve-80-tcp", "TCP, serve-81-udp", "TCP, nobody-serves"})
  void aNameWithoutAMatchingContainerPortAllowsNothing(String protocol, String name) {
    CompiledPolicy p = compile(ingress("x", "p", ALL, rule(List.of(), port(protocol, name))));
    assertThat(p.ingress().get(0).namedGroups()).isEmpty();
    assertThat(p.ingress().get(0).allowsNothing()).isTrue();
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void d7EgressNameWithoutPeersResolvesInEveryNamespace() {
    // only y/d serves "http": kube-router looks in the policy's namespace only and finds nothing,
    // or, when it does find a number, allows it to any address at all
    List<NetpolPod> pods =
        List.of(web("y", "d", "10.0.0.4", 7070), web("x", "src", "10.0.0.9", 8080));
    CompiledRule r =
        PolicyCompiler.compile(
                egress("x", "p", labels("app", "none"), rule(List.of(), port("TCP", "http"))),
                namespaces(),
                pods)
            .egress()
            .get(0);
    assertThat(r.anyPeer()).isTrue();
    assertThat(r.namedGroups())
        .containsExactly(
            new NamedGroup("tcp", 7070, new FamilyIps(List.of("10.0.0.4"), List.of())),
            new NamedGroup("tcp", 8080, new FamilyIps(List.of("10.0.0.9"), List.of())));
  }

  @Test
  void d8EgressIpBlockWithNamedPortMatchesThePodsInsideTheBlock() {
    CompiledRule r =
        compile(
                egress(
                    "z",
                    "p",
                    ALL,
                    rule(
                        List.of(block("10.42.0.0/24", ip("x", "b") + "/32")),
                        port("TCP", "serve-80-tcp"))))
            .egress()
            .get(0);
    NamedGroup g = r.namedGroups().get(0);
    assertThat(r.namedGroups()).hasSize(1);
    assertThat(g.protocol()).isEqualTo("tcp");
    assertThat(g.port()).isEqualTo(80);
    // x and y live in 10.42.0.0/24; x/b is excepted; z (10.42.1.0/24) is outside
    assertThat(g.pods().ipv4())
        .containsExactly(ip("x", "a"), ip("x", "c"), ip("y", "a"), ip("y", "b"), ip("y", "c"));
    // an IPv4 block says nothing about the pods' IPv6 addresses
    assertThat(g.pods().ipv6()).isEmpty();
  }

  @Test
  void egressNameWithPodPeersResolvesOnThePeersOnly() {
    CompiledRule r =
        compile(
                egress(
                    "x",
                    "p",
                    ALL,
                    rule(
                        List.of(NetpolFixtures.namespaces(labels("ns", "y"))),
                        port("SCTP", "serve-80-sctp"),
                        port("TCP", "81"))))
            .egress()
            .get(0);
    assertThat(r.namedGroups())
        .containsExactly(
            new NamedGroup(
                "sctp",
                80,
                new FamilyIps(
                    List.of(ip("y", "a"), ip("y", "b"), ip("y", "c")),
                    List.of(ip6("y", "a"), ip6("y", "b"), ip6("y", "c")))));
    assertThat(r.ports()).containsExactly(new PortMatch("tcp", 81, 81));
  }
}
