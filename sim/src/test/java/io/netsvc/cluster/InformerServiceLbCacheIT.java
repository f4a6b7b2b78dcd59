package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import io.netsvc.sim.api.SimApiServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ServiceLB view of a member's informers against the embedded API, as entities ask it. */
class InformerServiceLbCacheIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SVCLB_LABELS =
      "{svccontroller.k3s.cattle.io/svcname: web, svccontroller.k3s.cattle.io/svcnamespace: default}";

  private SimApiServer server;
  private KubernetesClient client;
  private Informers informers;
  private InformerServiceLbCache cache;

  @BeforeEach
  void start() {
    server = SimApiServer.start("127.0.0.1", 0);
    client = server.newClient("cache-it");
    informers = new Informers(client);
  }

  @AfterEach
  void stop() {
    if (cache != null) cache.close();
    informers.close();
    server.close();
  }

  private void create(String yaml) {
    client.resource(yaml).create();
  }

  @Test
  void entitiesFindTheirObjectsByServiceAndByNode() {
    create(
        """
        apiVersion: v1
        kind: Service
        metadata: {namespace: default, name: web, uid: u-web}
        spec: {type: LoadBalancer, ports: [{port: 80, protocol: TCP}]}
        """);
    create(
        """
        apiVersion: v1
        kind: Node
        metadata: {name: n1}
        """);
    create(
        """
        apiVersion: v1
        kind: Pod
        metadata: {namespace: kube-system, name: svclb-web-1, labels: %s}
        spec: {nodeName: n1, containers: [{name: lb, image: x, ports: [{containerPort: 80, hostPort: 80}]}]}
        """
            .formatted(SVCLB_LABELS));
    create(
        """
        apiVersion: v1
        kind: Pod
        metadata: {namespace: default, name: proxy}
        spec: {nodeName: n1, containers: [{name: p, image: x, ports: [{containerPort: 8443, hostPort: 8443}]}]}
        """);
    create(
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {namespace: default, name: web-abc, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        endpoints: [{addresses: [10.42.0.5], nodeName: n1, conditions: {ready: true}, targetRef: {kind: Pod, name: app}}]
        """);
    create(
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {namespace: kube-system, name: svclb-web-u-web, labels: %s}
        spec:
          selector: {matchLabels: {app: svclb-web}}
          template:
            metadata: {labels: {app: svclb-web}}
            spec:
              affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}}}
              containers: [{name: lb, image: x, ports: [{containerPort: 80, hostPort: 80, protocol: TCP}]}]
        """
            .formatted(SVCLB_LABELS));
    create(
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {namespace: kube-system, name: not-svclb}
        spec: {selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: x}]}}}
        """);

    cache = InformerServiceLbCache.start(informers, "kube-system");
    await().atMost(WAIT).until(cache::synced);

    assertThat(cache.service("default/web")).isPresent();
    assertThat(cache.loadBalancers()).hasSize(1);
    assertThat(cache.nodes()).extracting(n -> n.name()).containsExactly("n1");
    assertThat(cache.svclbPods("default/web"))
        .extracting(PodInfo::name)
        .containsExactly("svclb-web-1");
    assertThat(cache.hostPortPodsOn("n1")).extracting(PodInfo::name).containsExactly("proxy");
    assertThat(cache.endpointSlices("default/web"))
        .singleElement()
        .satisfies(e -> assertThat(e.readyPodNodes()).containsExactly("n1"));
    assertThat(cache.daemonSets())
        .extracting(
            SvclbDaemonSetInfo::name, SvclbDaemonSetInfo::serviceKey, SvclbDaemonSetInfo::nodes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "svclb-web-u-web", "default/web", java.util.List.of("n1")));

    // deleted pods leave the indexes
    client.pods().inNamespace("default").withName("proxy").delete();
    client.pods().inNamespace("kube-system").withName("svclb-web-1").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> cache.hostPortPodsOn("n1").isEmpty() && cache.svclbPods("default/web").isEmpty());
  }
}
