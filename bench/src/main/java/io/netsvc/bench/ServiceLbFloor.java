package io.netsvc.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.config.Settings;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The floor of the ServiceLB benchmark: what any controller must write, done by a bare client. */
final class ServiceLbFloor {
  private ServiceLbFloor() {}

  /**
   * What a minimal controller must do for one Service, done directly: finalizer, DaemonSet, wait
   * until the sim reports all its pods Ready (the same readiness netsvc waits for), status, events.
   */
  static CompletableFuture<Void> writes(
      FabricServiceLbApi api,
      Service s,
      Map<String, CompletableFuture<Void>> ready,
      int nodes,
      java.util.concurrent.atomic.AtomicLong patches) {
    ServiceInfo info = Convert.service(s);
    DaemonSet ds =
        DaemonSetRenderer.render(
            info,
            new DaemonSetRenderer.RenderOptions(
                "kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS),
            false,
            null);
    CompletableFuture<Void> podsReady =
        ready.computeIfAbsent(ds.getMetadata().getName(), k -> new CompletableFuture<>());
    List<IngressInfo> ingress = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      ingress.add(IngressInfo.vip("172.30." + (i / 254) + "." + (i % 254 + 2)));
    }
    return api.addFinalizer(info.namespace(), info.name(), ServiceInfo.LB_CLEANUP_FINALIZER)
        .thenCompose(
            v -> {
              api.event(
                  ObjectRef.of(info), "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
              return api.applyDaemonSet(ds);
            })
        .thenCompose(
            r -> {
              api.event(ObjectRef.of(info), "Normal", "AppliedDaemonSet", "Applied");
              return podsReady;
            })
        .thenCompose(
            v -> {
              patches.incrementAndGet();
              return api.patchLoadBalancerStatus(info.namespace(), info.name(), ingress);
            })
        .thenRun(() -> api.event(ObjectRef.of(info), "Normal", "UpdatedLoadBalancer", "Updated"))
        .toCompletableFuture();
  }

  /**
   * The floor controller's watch of the svclb pods: completes a DaemonSet's future in {@code ready}
   * once {@code nodes} of its pods are Ready (the same readiness netsvc waits for: pod events, not
   * the DaemonSet's status).
   */
  static SharedIndexInformer<Pod> readiness(
      KubernetesClient client, int nodes, Map<String, CompletableFuture<Void>> ready) {
    Map<String, Set<String>> readyPods = new ConcurrentHashMap<>();
    return client
        .pods()
        .inNamespace("kube-system")
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod p) {
                check(p);
              }

              @Override
              public void onUpdate(Pod o, Pod p) {
                check(p);
              }

              @Override
              public void onDelete(Pod p, boolean unknown) {}

              private void check(Pod p) {
                PodInfo pi = Convert.pod(p);
                String ds = pi.labels().get("app");
                if (ds == null || !pi.ready()) return;
                Set<String> set = readyPods.computeIfAbsent(ds, k -> ConcurrentHashMap.newKeySet());
                set.add(pi.name());
                if (set.size() >= nodes) {
                  ready.computeIfAbsent(ds, k -> new CompletableFuture<>()).complete(null);
                }
              }
            },
            0);
  }

  /** The sim's settings with nothing running ServiceLB (no members). */
  static Settings withoutServiceLb(Settings s) {
    java.util.Set<io.netsvc.config.Component> d = new java.util.HashSet<>(s.disabled());
    d.add(io.netsvc.config.Component.SERVICELB);
    return new Settings(
        s.mode(),
        d,
        s.servicelbNamespace(),
        s.kubeconfig(),
        s.cluster(),
        s.node(),
        s.sim().withMembers(0),
        s.logLevel(),
        s.logFormat(),
        s.disableNetworkPolicy(),
        s.disableCloudController(),
        s.dataDir(),
        s.deploy());
  }
}
