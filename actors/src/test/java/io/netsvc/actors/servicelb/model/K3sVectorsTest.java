package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** K3s's own test vectors (pkg/cloudprovider/servicelb_test.go) and its ordering rules. */
class K3sVectorsTest {
  static final String UID = "35a5ccb3-4a82-40b7-8d83-cda9582e4251";

  @ParameterizedTest
  @CsvSource({
    "a-service, svclb-a-service-35a5ccb3",
    "a-service-with-a-very-veeeeeery-long-yet-valid-name,"
        + " svclb-a-service-with-a-very-veeeeeery-long-yet-valid-n-35a5ccb3",
    "a-service-with-a-name-with-inconvenient------------hypens,"
        + " svclb-a-service-with-a-name-with-inconvenient-35a5ccb3"
  })
  void daemonSetNames(String service, String expected) {
    assertThat(SvclbNames.daemonSetName(service, UID)).isEqualTo(expected);
  }

  static ServiceInfo svc(List<String> families, String etp) {
    return new ServiceInfo(
        "default",
        "web",
        UID,
        "1",
        "2026-01-01T00:00:00Z",
        "LoadBalancer",
        null,
        List.of(new PortSpec("http", "TCP", 80, 30080, "80")),
        List.of("10.43.0.10"),
        families,
        etp,
        List.of(),
        null,
        Map.of(),
        Map.of(),
        List.of(),
        false,
        List.of());
  }

  static NodeInfo node(String name, String... addresses) {
    List<NodeAddress> a = new ArrayList<>();
    for (String s : addresses) {
      String[] kv = s.split("=");
      a.add(new NodeAddress(kv[0], kv[1]));
    }
    return new NodeInfo(name, Map.of(), Map.of(), a, List.of(), null);
  }

  static List<String> ips(List<IngressInfo> ingress) {
    return ingress.stream().map(IngressInfo::ip).toList();
  }

  @Test
  void familiesInSpecOrderEachStringSortedWhateverTheNodeOrder() {
    List<NodeInfo> nodes =
        new ArrayList<>(
            List.of(
                node("a", "InternalIP=2001:db8::1", "InternalIP=2.3.4.5"),
                node("b", "InternalIP=3001:db8::1"),
                node("c", "InternalIP=1.2.3.4")));
    Random random = new Random(7);
    for (int i = 0; i < 10; i++) {
      Collections.shuffle(nodes, random);
      assertThat(
              ips(IngressCalculator.compute(svc(List.of("IPv4", "IPv6"), "Cluster"), nodes, null)))
          .containsExactly("1.2.3.4", "2.3.4.5", "2001:db8::1", "3001:db8::1");
      assertThat(
              ips(IngressCalculator.compute(svc(List.of("IPv6", "IPv4"), "Cluster"), nodes, null)))
          .containsExactly("2001:db8::1", "3001:db8::1", "1.2.3.4", "2.3.4.5");
      assertThat(ips(IngressCalculator.compute(svc(List.of("IPv6"), "Cluster"), nodes, null)))
          .containsExactly("2001:db8::1", "3001:db8::1");
    }
  }

  @Test
  void sortIsLexicographicAsK3sAndEveryEntryIsVip() {
    List<IngressInfo> out =
        IngressCalculator.compute(
            svc(List.of("IPv4"), "Cluster"),
            List.of(node("a", "InternalIP=10.0.0.9"), node("b", "InternalIP=10.0.0.10")),
            null);
    assertThat(ips(out)).containsExactly("10.0.0.10", "10.0.0.9");
    assertThat(out).allMatch(i -> "VIP".equals(i.ipMode()));
  }

  @Test
  void oneExternalIpAnywhereHidesEveryInternalIp() {
    List<NodeInfo> nodes =
        List.of(
            node("a", "InternalIP=10.0.0.1"),
            node("b", "InternalIP=10.0.0.2", "ExternalIP=203.0.113.2"));
    assertThat(ips(IngressCalculator.compute(svc(List.of("IPv4"), "Cluster"), nodes, null)))
        .containsExactly("203.0.113.2");
  }

  @Test
  void externalTrafficPolicyLocalKeepsOnlyEndpointNodes() {
    List<NodeInfo> nodes =
        List.of(node("a", "InternalIP=10.0.0.1"), node("b", "InternalIP=10.0.0.2"));
    assertThat(ips(IngressCalculator.compute(svc(List.of("IPv4"), "Local"), nodes, Set.of("b"))))
        .containsExactly("10.0.0.2");
    assertThat(IngressCalculator.compute(svc(List.of("IPv4"), "Local"), nodes, Set.of())).isEmpty();
    assertThat(ips(IngressCalculator.compute(svc(List.of("IPv4"), "Cluster"), nodes, Set.of())))
        .containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  void updatedLoadBalancerMessageListsIpsLikeK3s() {
    assertThat(
            IngressCalculator.describe(
                List.of(IngressInfo.vip("1.2.3.4"), IngressInfo.vip("5.6.7.8"))))
        .isEqualTo("[1.2.3.4 5.6.7.8]");
    assertThat(IngressCalculator.describe(List.of())).isEqualTo("[]");
  }
}
