package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.node;
import static io.netsvc.actors.servicelb.model.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** K3s's getStatus rules beyond K3sVectorsTest. */
class IngressCalculatorTest {
  static final List<NodeInfo> DUAL =
      List.of(
          node("a", "InternalIP=10.0.0.2", "InternalIP=fd00::2", "Hostname=a"),
          node("b", "InternalIP=10.0.0.1", "InternalIP=fd00::1"));

  static List<String> ips(List<IngressInfo> ingress) {
    return ingress.stream().map(IngressInfo::ip).toList();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "IPv4; 10.0.0.1 10.0.0.2",
        "IPv6; fd00::1 fd00::2",
        "IPv4,IPv6; 10.0.0.1 10.0.0.2 fd00::1 fd00::2",
        "IPv6,IPv4; fd00::1 fd00::2 10.0.0.1 10.0.0.2",
      })
  void familiesSelectAndOrder(String families, String expected) {
    var s = svc().families(families.split(",")).build();
    assertThat(ips(IngressCalculator.compute(s, DUAL, null))).containsExactly(expected.split(" "));
  }

  @Test
  void noFamiliesNoAddresses() {
    assertThat(IngressCalculator.compute(svc().families().build(), DUAL, null)).isEmpty();
  }

  @Test
  void duplicateAddressesAppearOnceAndNonIpsAreDropped() {
    List<NodeInfo> nodes =
        List.of(
            node("a", "InternalIP=10.0.0.1", "InternalIP=not-an-ip"),
            node("b", "InternalIP=10.0.0.1"));
    assertThat(ips(IngressCalculator.compute(svc().families("IPv4", "IPv6").build(), nodes, null)))
        .containsExactly("10.0.0.1");
  }

  @Test
  void localWithoutEndpointInformationAdvertisesNothing() {
    assertThat(IngressCalculator.compute(svc().etp("Local").build(), DUAL, null)).isEmpty();
    assertThat(
            ips(
                IngressCalculator.compute(
                    svc().etp("Local").build(), DUAL, Set.of("a", "elsewhere"))))
        .containsExactly("10.0.0.2");
  }

  @Test
  void externalIpOfAnEndpointlessNodeDoesNotHideInternalIpsUnderLocal() {
    // the ExternalIP rule applies to the nodes that survive the Local filter, as in K3s
    List<NodeInfo> nodes =
        List.of(node("a", "InternalIP=10.0.0.1"), node("b", "ExternalIP=203.0.113.2"));
    assertThat(ips(IngressCalculator.compute(svc().etp("Local").build(), nodes, Set.of("a"))))
        .containsExactly("10.0.0.1");
    assertThat(ips(IngressCalculator.compute(svc().build(), nodes, Set.of("a"))))
        .containsExactly("203.0.113.2");
  }

  @Test
  void anExternalIpOfOneFamilyHidesTheInternalIpsOfTheOtherToo() {
    // K3s picks ExternalIPs or InternalIPs first, then filters by family
    List<NodeInfo> nodes =
        List.of(
            node("a", "InternalIP=10.0.0.1", "InternalIP=fd00::1", "ExternalIP=203.0.113.1"),
            node("b", "InternalIP=10.0.0.2", "InternalIP=fd00::2"));
    assertThat(ips(IngressCalculator.compute(svc().families("IPv6", "IPv4").build(), nodes, null)))
        .containsExactly("203.0.113.1");
    assertThat(IngressCalculator.compute(svc().families("IPv6").build(), nodes, null)).isEmpty();
  }

  @Test
  void anIpv4MappedAddressCountsAsIpv4AsInKubernetes() {
    List<NodeInfo> nodes = List.of(node("a", "InternalIP=::ffff:10.0.0.1", "InternalIP=fd00::1"));
    assertThat(ips(IngressCalculator.compute(svc().families("IPv4").build(), nodes, null)))
        .containsExactly("::ffff:10.0.0.1");
    assertThat(ips(IngressCalculator.compute(svc().families("IPv6").build(), nodes, null)))
        .containsExactly("fd00::1");
  }

  @Test
  void hostnamesAndOtherAddressTypesAreNeverAdvertised() {
    List<NodeInfo> nodes =
        List.of(node("a", "Hostname=a.example", "InternalDNS=a.internal", "InternalIP=10.0.0.1"));
    assertThat(IngressCalculator.compute(svc().build(), nodes, null))
        .containsExactly(IngressInfo.vip("10.0.0.1"));
  }

  @Test
  void sameIngressIsOrderSensitiveAndNullIsEmpty() {
    var a = IngressInfo.vip("1.2.3.4");
    var b = IngressInfo.vip("5.6.7.8");
    assertThat(IngressCalculator.sameIngress(null, List.of())).isTrue();
    assertThat(IngressCalculator.sameIngress(List.of(), null)).isTrue();
    assertThat(IngressCalculator.sameIngress(List.of(a, b), List.of(a, b))).isTrue();
    assertThat(IngressCalculator.sameIngress(List.of(a, b), List.of(b, a))).isFalse();
    assertThat(IngressCalculator.sameIngress(List.of(a), null)).isFalse();
    // an API-read entry without ipMode differs, so it gets rewritten once with VIP
    assertThat(
            IngressCalculator.sameIngress(
                List.of(a), List.of(new IngressInfo("1.2.3.4", null, null))))
        .isFalse();
  }

  @Test
  void describeUsesTheHostnameWhenThereIsNoIp() {
    assertThat(
            IngressCalculator.describe(
                Arrays.asList(IngressInfo.vip("1.2.3.4"), new IngressInfo("", "lb.example", null))))
        .isEqualTo("[1.2.3.4 lb.example]");
    assertThat(IngressCalculator.describe(null)).isEqualTo("[]");
  }
}
