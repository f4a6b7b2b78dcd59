package io.netsvc.k8s.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import org.junit.jupiter.api.Test;

/** fabric8 objects → records, with the defaults the API server would have filled in. */
class ConvertTest {
  @Test
  void serviceDefaultsProtocolAndInfersFamiliesFromClusterIps() {
    ServiceInfo s =
        Convert.service(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("web")
                .withUid("u")
                .addToFinalizers(ServiceInfo.LB_CLEANUP_FINALIZER)
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .addNewPort()
                .withPort(80)
                .endPort()
                .withClusterIPs("fd00:43::a", "10.43.0.10")
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("1.2.3.4")
                .withIpMode("VIP")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build());
    assertThat(s.key()).isEqualTo("ns/web");
    assertThat(s.ports().get(0).protocol()).isEqualTo("TCP");
    assertThat(s.ipFamilies()).containsExactly("IPv6", "IPv4");
    assertThat(s.ingress()).containsExactly(IngressInfo.vip("1.2.3.4"));
    assertThat(s.wantsLoadBalancer()).isTrue();
    assertThat(s.hasCleanupFinalizer()).isTrue();
    assertThat(s.labels()).isEmpty();
  }

  @Test
  void aServiceWithAClassOrBeingDeletedDoesNotWantALoadBalancer() {
    var b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("x")
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .endSpec();
    assertThat(Convert.service(b.build()).ipFamilies()).containsExactly("IPv4");
    assertThat(
            Convert.service(b.editSpec().withLoadBalancerClass("other").endSpec().build())
                .wantsLoadBalancer())
        .isFalse();
    assertThat(
            Convert.service(
                    new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("ns")
                        .withName("x")
                        .withDeletionTimestamp("2026-01-01T00:00:00Z")
                        .endMetadata()
                        .withNewSpec()
                        .withType("LoadBalancer")
                        .endSpec()
                        .build())
                .wantsLoadBalancer())
        .isFalse();
  }

  @Test
  void podReadinessAndHostPorts() {
    PodInfo p =
        Convert.pod(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .withNodeName("n1")
                .addNewContainer()
                .withName("c")
                .addNewPort()
                .withContainerPort(80)
                .withHostPort(8080)
                .endPort()
                .addNewPort()
                .withContainerPort(9000)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("10.42.0.5")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build());
    assertThat(p.ready()).isTrue();
    assertThat(p.hostPorts()).containsExactly(new HostPortUse(8080, "TCP", null));
    assertThat(
            Convert.pod(
                    new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("ns")
                        .withName("q")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("False")
                        .endCondition()
                        .endStatus()
                        .build())
                .ready())
        .isFalse();
  }

  @Test
  void endpointSliceKeepsOnlyReadyPodEndpointsWithANode() {
    var slice =
        Convert.endpointSlice(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("web-abc")
                .addToLabels("kubernetes.io/service-name", "web")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("10.0.0.1")
                .withNodeName("b")
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName("p1")
                .endTargetRef()
                .endEndpoint()
                .addNewEndpoint()
                .withAddresses("10.0.0.2")
                .withNodeName("a")
                .withNewConditions()
                .withReady(false)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName("p2")
                .endTargetRef()
                .endEndpoint()
                .addNewEndpoint()
                .withAddresses("10.0.0.3")
                .withNodeName("c")
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint()
                .build());
    assertThat(slice.serviceName()).isEqualTo("web");
    assertThat(slice.readyPodNodes()).containsExactly("b");
  }
}
