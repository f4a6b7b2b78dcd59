package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.port;
import static io.netsvc.actors.servicelb.model.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.records.PortSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DaemonSetRendererTest {
  static final RenderOptions OPTS =
      new RenderOptions("kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  static final String NAME = "svclb-web-35a5ccb3";

  static DaemonSet render(Fixtures.Svc s) {
    return DaemonSetRenderer.render(s.build(), OPTS, false, null);
  }

  static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  static String env(Container c) {
    StringBuilder sb = new StringBuilder();
    for (EnvVar e : c.getEnv()) {
      String v =
          e.getValue() != null
              ? e.getValue()
              : "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath();
      sb.append(e.getName()).append('=').append(v).append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void clusterPolicyMatchesK3sNewDaemonSet() {
    DaemonSet ds =
        render(
            svc()
                .ports(port("TCP", 80, 30080), port("UDP", 53, 30053))
                .clusterIPs("10.43.0.10", "fd00::10"));
    assertThat(ds.getApiVersion()).isEqualTo("apps/v1");
    assertThat(ds.getKind()).isEqualTo("DaemonSet");
    assertThat(ds.getMetadata().getName()).isEqualTo(NAME);
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(ds.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "svccontroller.k3s.cattle.io/nodeselector", "false",
                "svccontroller.k3s.cattle.io/svcname", "web",
                "svccontroller.k3s.cattle.io/svcnamespace", "default"));
    assertThat(ds.getMetadata().getAnnotations()).isNullOrEmpty(); // no wrangler objectset metadata
    assertThat(ds.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", NAME));
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app", NAME,
                "svccontroller.k3s.cattle.io/svcname", "web",
                "svccontroller.k3s.cattle.io/svcnamespace", "default"));
    PodSpec p = pod(ds);
    assertThat(p.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(p.getServiceAccountName()).isEqualTo("svclb");
    assertThat(p.getAutomountServiceAccountToken()).isFalse();
    assertThat(p.getSecurityContext().getSysctls())
        .extracting(s -> s.getName() + "=" + s.getValue())
        .containsExactly("net.ipv4.ip_forward=1");
    assertThat(p.getTolerations()).isEqualTo(Tolerations.defaults());
    assertThat(p.getNodeSelector()).isNullOrEmpty();
    assertThat(p.getAffinity()).isNull();
    assertThat(p.getHostNetwork()).isNull();
    assertThat(p.getContainers()).hasSize(2);
    Container tcp = p.getContainers().get(0);
    assertThat(tcp.getName()).isEqualTo("lb-tcp-80");
    assertThat(tcp.getImage()).isEqualTo("rancher/klipper-lb:v0.4.9");
    assertThat(tcp.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(tcp.getPorts())
        .singleElement()
        .satisfies(
            cp -> {
              assertThat(cp.getName()).isEqualTo("lb-tcp-80");
              assertThat(cp.getContainerPort()).isEqualTo(80);
              assertThat(cp.getHostPort()).isEqualTo(80);
              assertThat(cp.getProtocol()).isEqualTo("TCP");
            });
    assertThat(env(tcp))
        .isEqualTo(
            "SRC_PORT=80 SRC_RANGES=0.0.0.0/0 DEST_PROTO=TCP DEST_PORT=80 DEST_IPS=10.43.0.10,fd00::10");
    assertThat(tcp.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(tcp.getResources()).isNull();
    assertThat(tcp.getReadinessProbe()).isNull();
    Container udp = p.getContainers().get(1);
    assertThat(udp.getName()).isEqualTo("lb-udp-53");
    assertThat(env(udp))
        .isEqualTo(
            "SRC_PORT=53 SRC_RANGES=0.0.0.0/0 DEST_PROTO=UDP DEST_PORT=53 DEST_IPS=10.43.0.10,fd00::10");
  }

  @Test
  void localPolicyForwardsToTheNodePortOnTheHostIps() {
    DaemonSet ds = render(svc().etp("Local").ports(port("TCP", 443, 31443)));
    assertThat(env(pod(ds).getContainers().get(0)))
        .isEqualTo(
            "SRC_PORT=443 SRC_RANGES=0.0.0.0/0 DEST_PROTO=TCP DEST_PORT=31443 DEST_IPS=fieldRef:status.hostIPs");
    // K3s's edge: no NodePort allocated → "0"
    assertThat(
            env(pod(render(svc().etp("Local").ports(port("TCP", 443, 0)))).getContainers().get(0)))
        .contains("DEST_PORT=0 ");
  }

  @Test
  void dualStackSysctlsFollowTheFamilyOrderAndTheDefaultRangeCoversIpv6() {
    PodSpec p = pod(render(svc().families("IPv6", "IPv4")));
    assertThat(p.getSecurityContext().getSysctls())
        .extracting(s -> s.getName())
        .containsExactly("net.ipv6.conf.all.forwarding", "net.ipv4.ip_forward");
    assertThat(env(p.getContainers().get(0))).contains("SRC_RANGES=0.0.0.0/0,::/0 ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "IPv4; net.ipv4.ip_forward=1; 0.0.0.0/0",
        "IPv6; net.ipv6.conf.all.forwarding=1; 0.0.0.0/0,::/0",
        "IPv4,IPv6; net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; 0.0.0.0/0,::/0",
        "IPv6,IPv4; net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1; 0.0.0.0/0,::/0",
      })
  void oneSysctlPerFamilyInSpecOrder(String families, String sysctls, String ranges) {
    PodSpec p = pod(render(svc().families(families.split(","))));
    assertThat(p.getSecurityContext().getSysctls())
        .extracting(s -> s.getName() + "=" + s.getValue())
        .containsExactly(sysctls.split(" "));
    assertThat(env(p.getContainers().get(0))).contains("SRC_RANGES=" + ranges + " ");
  }

  @ParameterizedTest
  @CsvSource({"TCP, 80, lb-tcp-80", "UDP, 53, lb-udp-53", "SCTP, 9999, lb-sctp-9999"})
  void oneContainerPerPortNamedAfterProtocolAndPort(String protocol, int port, String name) {
    Container c = pod(render(svc().ports(port(protocol, port, 30000)))).getContainers().get(0);
    assertThat(c.getName()).isEqualTo(name);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            cp -> {
              assertThat(cp.getName()).isEqualTo(name);
              assertThat(cp.getHostPort()).isEqualTo(port);
              assertThat(cp.getContainerPort()).isEqualTo(port);
              assertThat(cp.getProtocol()).isEqualTo(protocol);
            });
    assertThat(env(c))
        .startsWith("SRC_PORT=" + port + " SRC_RANGES=0.0.0.0/0 DEST_PROTO=" + protocol + " ");
  }

  @Test
  void clusterPolicyForwardsToTheServicePortNotTheTargetOrNodePort() {
    Container c =
        pod(render(svc().ports(new PortSpec("web", "TCP", 80, 30080, "8080"))))
            .getContainers()
            .get(0);
    assertThat(env(c)).endsWith("DEST_PORT=80 DEST_IPS=10.43.0.10");
  }

  @Test
  void sourceRangesReachEveryContainer() {
    PodSpec p =
        pod(
            render(
                svc()
                    .sourceRanges("192.168.0.0/16", "10.9.9.9/8")
                    .ports(port("TCP", 80, 0), port("TCP", 81, 0))));
    assertThat(p.getContainers())
        .allSatisfy(c -> assertThat(env(c)).contains("SRC_RANGES=10.0.0.0/8,192.168.0.0/16 "));
  }

  @Test
  void allowListModeSelectsEnabledNodesAndThePool() {
    DaemonSet plain = DaemonSetRenderer.render(svc().build(), OPTS, true, null);
    assertThat(plain.getMetadata().getLabels())
        .containsEntry("svccontroller.k3s.cattle.io/nodeselector", "true");
    assertThat(pod(plain).getNodeSelector())
        .isEqualTo(Map.of("svccontroller.k3s.cattle.io/enablelb", "true"));
    DaemonSet pooled =
        DaemonSetRenderer.render(
            svc().label(SvclbNames.LBPOOL_LABEL, "blue").build(), OPTS, true, null);
    assertThat(pod(pooled).getNodeSelector())
        .isEqualTo(
            Map.of(
                "svccontroller.k3s.cattle.io/enablelb",
                "true",
                "svccontroller.k3s.cattle.io/lbpool",
                "blue"));
    DaemonSet emptyPool =
        DaemonSetRenderer.render(
            svc().label(SvclbNames.LBPOOL_LABEL, "").build(), OPTS, true, null);
    assertThat(pod(emptyPool).getNodeSelector())
        .containsOnlyKeys("svccontroller.k3s.cattle.io/enablelb");
    // default mode ignores the pool label
    assertThat(
            pod(DaemonSetRenderer.render(
                    svc().label(SvclbNames.LBPOOL_LABEL, "blue").build(), OPTS, false, null))
                .getNodeSelector())
        .isNullOrEmpty();
  }

  @Test
  void affinityPinsThePodsToTheGrantedNodesInNameOrder() {
    TreeSet<String> granted = new TreeSet<>(java.util.Comparator.reverseOrder());
    granted.addAll(List.of("node-a", "node-c", "node-b"));
    DaemonSet ds = DaemonSetRenderer.render(svc().build(), OPTS, false, granted);
    var terms =
        pod(ds)
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms)
        .singleElement()
        .satisfies(t -> assertThat(t.getMatchExpressions()).isNullOrEmpty());
    NodeSelectorRequirement r = terms.get(0).getMatchFields().get(0);
    assertThat(terms.get(0).getMatchFields()).hasSize(1);
    assertThat(r.getKey()).isEqualTo("metadata.name");
    assertThat(r.getOperator()).isEqualTo("In");
    assertThat(r.getValues()).containsExactly("node-a", "node-b", "node-c");
  }

  @Test
  void priorityClassFromTheAnnotationEvenWhenEmpty() {
    assertThat(
            pod(render(svc().annotation(SvclbNames.PRIORITY_ANNOTATION, "lb-high")))
                .getPriorityClassName())
        .isEqualTo("lb-high");
    assertThat(
            pod(render(svc().annotation(SvclbNames.PRIORITY_ANNOTATION, "")))
                .getPriorityClassName())
        .isEmpty();
    RenderOptions custom =
        new RenderOptions("svclb", "registry.local/klipper-lb:v1", "custom-default");
    DaemonSet ds = DaemonSetRenderer.render(svc().build(), custom, false, null);
    assertThat(pod(ds).getPriorityClassName()).isEqualTo("custom-default");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("svclb");
    assertThat(pod(ds).getContainers().get(0).getImage()).isEqualTo("registry.local/klipper-lb:v1");
  }

  @Test
  void annotationTolerationsAreAppendedAndBadOnesThrow() {
    PodSpec p =
        pod(
            render(
                svc()
                    .annotation(
                        SvclbNames.TOLERATIONS_ANNOTATION,
                        "[{\"key\":\"gpu\",\"operator\":\"Exists\"}]")));
    assertThat(p.getTolerations()).hasSize(4);
    assertThat(p.getTolerations().get(3).getKey()).isEqualTo("gpu");
    assertThatThrownBy(
            () ->
                render(svc().annotation(SvclbNames.TOLERATIONS_ANNOTATION, "[{\"value\":\"x\"}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("validation failed for toleration 0");
    assertThatThrownBy(() -> render(svc().sourceRanges("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid load balancer source range");
  }
}
