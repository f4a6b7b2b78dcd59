package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** ServiceLB end to end in the embedded sim: 3 nodes (172.30.0.2-4), one member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbIT {
  static final List<String> ALL = List.of("172.30.0.2", "172.30.0.3", "172.30.0.4");
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "3");
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private DaemonSet daemonSet(Service s) {
    String name =
        "svclb-" + s.getMetadata().getName() + "-" + s.getMetadata().getUid().substring(0, 8);
    return sim.client.apps().daemonSets().inNamespace("kube-system").withName(name).get();
  }

  @Test
  void createGivesEveryNodesAddressAndK3sShapedDaemonSet() {
    Service s = sim.create(SimHarness.lb("default", "web", 8080));
    sim.awaitIngress("default", "web", ALL);
    Service now = sim.get("default", "web");
    assertThat(now.getMetadata().getFinalizers())
        .contains("service.kubernetes.io/load-balancer-cleanup");
    assertThat(now.getStatus().getLoadBalancer().getIngress().get(0).getIpMode()).isEqualTo("VIP");
    DaemonSet ds = daemonSet(s);
    assertThat(ds.getMetadata().getLabels())
        .containsEntry("svccontroller.k3s.cattle.io/svcname", "web")
        .containsEntry("svccontroller.k3s.cattle.io/nodeselector", "false");
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getName())
        .isEqualTo("lb-tcp-8080");
    // without --system-default-registry: K3s's image as it is
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("rancher/klipper-lb:v0.4.9");
    assertThat(ds.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    await()
        .untilAsserted(
            () ->
                assertThat(sim.events("default", "web"))
                    .anyMatch(
                        e ->
                            e.startsWith(
                                    "Normal UpdatedLoadBalancer: Updated LoadBalancer with new IPs: [")
                                && e.endsWith("] -> [172.30.0.2 172.30.0.3 172.30.0.4]")));
    assertThat(sim.events("default", "web"))
        .anyMatch(
            e ->
                e.startsWith(
                    "Normal AppliedDaemonSet: Applied LoadBalancer DaemonSet "
                        + "kube-system/svclb-web-"));
  }

  @Test
  void portConflictIsExplainedUpFrontAndReleasedWhenTheHolderGoes() throws Exception {
    sim.create(SimHarness.lb("default", "first", 9090));
    sim.awaitIngress("default", "first", ALL);
    Service second = sim.create(SimHarness.lb("default", "second", 9090));
    await().until(() -> sim.hasEvent("default", "second", "Warning HostPortConflict"));
    assertThat(sim.events("default", "second"))
        .anyMatch(e -> e.contains("9090/TCP on node-1 is held by Service default/first"));
    assertThat(sim.ingress("default", "second")).isEmpty();
    assertThat(daemonSet(second)).as("no DaemonSet, so no Pending svclb pod").isNull();
    assertThat(sim.management("/servicelb/services"))
        .contains("default/second")
        .contains("no node has the ports free");
    assertThat(sim.management("/servicelb/nodes/node-2"))
        .contains("9090/TCP")
        .contains("default/first");
    sim.client.services().inNamespace("default").withName("first").delete();
    sim.awaitIngress("default", "second", ALL);
    await().until(() -> sim.get("default", "first") == null);
  }

  @Test
  void anOrdinaryHostPortPodKeepsItsNodeAndTheDaemonSetAvoidsIt() {
    Pod holder =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("holder")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-2")
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .addNewPort()
            .withContainerPort(7000)
            .withHostPort(7000)
            .withProtocol("TCP")
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    sim.client.pods().resource(holder).create();
    await()
        .until(
            () -> {
              Pod p = sim.client.pods().inNamespace("default").withName("holder").get();
              return p != null && "Running".equals(p.getStatus().getPhase());
            });
    Service s = sim.create(SimHarness.lb("default", "seven", 7000));
    sim.awaitIngress("default", "seven", List.of("172.30.0.2", "172.30.0.4"));
    DaemonSet ds = daemonSet(s);
    assertThat(
            ds.getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchFields()
                .get(0)
                .getValues())
        .containsExactly("node-1", "node-3");
    await()
        .untilAsserted(
            () ->
                assertThat(sim.client.pods().inNamespace("kube-system").list().getItems())
                    .filteredOn(p -> p.getMetadata().getName().startsWith("svclb-seven-"))
                    .extracting(p -> p.getSpec().getNodeName() + " " + p.getStatus().getPhase())
                    .containsExactlyInAnyOrder("node-1 Running", "node-3 Running"));
    assertThat(sim.events("default", "seven"))
        .anyMatch(e -> e.contains("7000/TCP on node-2 is held by Pod default/holder"));
    sim.client.pods().inNamespace("default").withName("holder").delete();
    sim.awaitIngress("default", "seven", ALL);
  }

  @Test
  void typeChangeRemovesDaemonSetFinalizerAndStatus() {
    Service s = sim.create(SimHarness.lb("default", "flip", 8181));
    sim.awaitIngress("default", "flip", ALL);
    sim.client
        .services()
        .inNamespace("default")
        .withName("flip")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"type\":\"ClusterIP\"}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                daemonSet(s) == null
                    && sim.ingress("default", "flip").isEmpty()
                    && !sim.get("default", "flip")
                        .getMetadata()
                        .getFinalizers()
                        .contains("service.kubernetes.io/load-balancer-cleanup"));
    assertThat(sim.events("default", "flip"))
        .anyMatch(
            e ->
                e.startsWith(
                    "Normal DeletedDaemonSet: Deleted LoadBalancer DaemonSet kube-system/svclb-flip-"));
    assertThat(sim.events("default", "flip"))
        .anyMatch(e -> e.startsWith("Normal DeletedLoadBalancer"));
  }

  @Test
  void deletionCleansUpAndLetsTheServiceGo() {
    Service s = sim.create(SimHarness.lb("default", "gone", 8282));
    sim.awaitIngress("default", "gone", ALL);
    sim.client.services().inNamespace("default").withName("gone").delete();
    await().until(() -> sim.get("default", "gone") == null && daemonSet(s) == null);
    assertThat(sim.client.pods().inNamespace("kube-system").list().getItems())
        .noneMatch(p -> p.getMetadata().getName().startsWith("svclb-gone-"));
  }

  @Test
  void badInputIsAWarningAndOtherServicesAreUnaffected() {
    Service bad = SimHarness.lb("default", "bad", 8383);
    bad.getMetadata()
        .setAnnotations(
            java.util.Map.of(
                "svccontroller.k3s.cattle.io/tolerations",
                "[{\"key\":\"\",\"operator\":\"Equal\"}]"));
    sim.create(bad);
    Service range = SimHarness.lb("default", "badrange", 8384);
    range.getSpec().setLoadBalancerSourceRanges(List.of("10.0.0.0/33"));
    sim.create(range);
    sim.create(SimHarness.lb("default", "good", 8385));
    sim.awaitIngress("default", "good", ALL);
    await()
        .until(
            () ->
                sim.hasEvent("default", "bad", "Warning SyncLoadBalancerFailed")
                    && sim.hasEvent("default", "badrange", "Warning SyncLoadBalancerFailed"));
    assertThat(sim.events("default", "bad"))
        .anyMatch(e -> e.contains("toleration with empty key" + " must have operator 'Exists'"));
    assertThat(sim.events("default", "badrange")).anyMatch(e -> e.contains("10.0.0.0/33"));
    assertThat(sim.events("default", "bad"))
        .filteredOn(e -> e.contains("SyncLoadBalancerFailed"))
        .hasSize(1);
    assertThat(sim.ingress("default", "bad")).isEmpty();
  }

  @Test
  void aServiceWithALoadBalancerClassIsLeftAlone() {
    Service other = SimHarness.lb("default", "metallb", 8484);
    other.getSpec().setLoadBalancerClass("metallb.io/metallb");
    sim.create(other);
    sim.create(SimHarness.lb("default", "marker", 8485));
    sim.awaitIngress("default", "marker", ALL);
    Service now = sim.get("default", "metallb");
    assertThat(now.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(sim.ingress("default", "metallb")).isEmpty();
    assertThat(sim.events("default", "metallb")).isEmpty();
  }
}
