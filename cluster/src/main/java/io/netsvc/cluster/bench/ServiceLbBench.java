package io.netsvc.cluster.bench;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.cluster.SimRunner;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import io.netsvc.config.Settings;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.ServiceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * ServiceLB burst benchmark: S LoadBalancer Services created at once against N simulated nodes.
 * Runs the floor first (a bare client doing the same API writes netsvc does per Service:
 * finalizer, DaemonSet, status, events) on a fresh sim, then netsvc on another fresh sim, and
 * prints both. Latency is from the create call's return to the first status that lists all N
 * nodes (what a user waits for). Usage: {@code scripts/bench-servicelb [services] [nodes]}.
 */
public final class ServiceLbBench {
  private ServiceLbBench() {}

  record Result(String what, int services, double seconds, double p50, double p99,
      double writesPerService, long peakHeapMiB) {
    String row() {
      return String.format("| %-28s | %6d | %7.2f | %8.1f | %8.1f | %8.1f | %6.2f | %6d |",
          what, services, seconds, services / seconds, p50, p99, writesPerService, peakHeapMiB);
    }
  }

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Result floor = run(services, nodes, true);
    Result netsvc = run(services, nodes, false);
    System.out.println();
    System.out.println("| run                          | Svcs   | total s | Svc/s    | p50 ms   | p99 ms   | st.w/S | heapMiB|");
    System.out.println("|------------------------------|--------|---------|----------|----------|----------|--------|--------|");
    System.out.println(floor.row());
    System.out.println(netsvc.row());
    System.out.printf("ratio netsvc/floor: p50 %.2f, p99 %.2f, throughput %.2f%n",
        netsvc.p50() / floor.p50(), netsvc.p99() / floor.p99(),
        (services / netsvc.seconds()) / (services / floor.seconds()));
    System.exit(0);
  }

  private static Result run(int services, int nodes, boolean floor) throws Exception {
    Path dir = Files.createTempDirectory("netsvc-bench");
    String[] args = {"sim", "--nodes", String.valueOf(nodes), "--kubeconfig-out",
        dir.resolve("kubeconfig").toString(), "--data-dir", dir.toString()};
    Settings settings = ((ParseResult.Run) Cli.parse(args, Map.of())).settings();
    if (floor) {
      settings = withoutServiceLb(settings);
    }
    Stats.resetPeakHeap();
    try (SimRunner sim = SimRunner.start(settings)) {
      KubernetesClient client = sim.newClient();
      Map<String, Long> created = new ConcurrentHashMap<>();
      Map<String, Long> advertised = new ConcurrentHashMap<>();
      Map<String, Integer> statusChanges = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(services);
      SharedIndexInformer<Service> watch = client.services().inAnyNamespace().inform(
          new ResourceEventHandler<>() {
            @Override public void onAdd(Service s) { seen(null, s); }
            @Override public void onUpdate(Service o, Service n) { seen(o, n); }
            @Override public void onDelete(Service s, boolean unknown) {}
            private void seen(Service o, Service n) {
              List<IngressInfo> now = Convert.service(n).ingress();
              if (o != null && !now.equals(Convert.service(o).ingress())) {
                statusChanges.merge(n.getMetadata().getName(), 1, Integer::sum);
              }
              if (now.size() == nodes && advertised.putIfAbsent(n.getMetadata().getName(),
                  System.nanoTime()) == null) {
                done.countDown();
              }
            }
          }, 0);
      watch.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      FabricServiceLbApi api = floor ? new FabricServiceLbApi(client, "bench-floor", 8) : null;
      ExecutorService creators = Executors.newFixedThreadPool(8);
      long t0 = System.nanoTime();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < services; i++) {
        String name = "bench-" + i;
        int index = i;
        all.add(CompletableFuture.runAsync(() -> {
          Service s = client.services().resource(lb(name, 10000 + index))
              .create();
          created.put(name, System.nanoTime());
          if (api != null) floorWrites(api, s, sim, nodes);
        }, creators));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      boolean finished = done.await(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Long> lat = new ArrayList<>();
      advertised.forEach((name, t) -> lat.add(t - created.get(name)));
      double writes = statusChanges.values().stream().mapToInt(Integer::intValue).sum()
          / (double) Math.max(1, advertised.size());
      creators.shutdownNow();
      watch.close();
      if (api != null) api.close();
      client.close();
      String what = (floor ? "floor (bare client)" : "netsvc") + (finished ? "" : " INCOMPLETE");
      return new Result(what, services, seconds, Stats.percentile(lat, 50),
          Stats.percentile(lat, 99), writes, Stats.peakHeapMiB());
    }
  }

  /** What netsvc writes for one Service, done directly: finalizer, DaemonSet, status, events. */
  private static void floorWrites(FabricServiceLbApi api, Service s, SimRunner sim, int nodes) {
    ServiceInfo info = Convert.service(s);
    try {
      api.addFinalizer(info.namespace(), info.name(), ServiceInfo.LB_CLEANUP_FINALIZER)
          .toCompletableFuture().get();
      api.event(ObjectRef.of(info), "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
      DaemonSet ds = DaemonSetRenderer.render(info, new DaemonSetRenderer.RenderOptions(
          "kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS), false, null);
      api.applyDaemonSet(ds).toCompletableFuture().get();
      api.event(ObjectRef.of(info), "Normal", "AppliedDaemonSet", "Applied");
      List<IngressInfo> ingress = new ArrayList<>();
      for (int i = 0; i < nodes; i++) ingress.add(IngressInfo.vip("172.30." + (i / 254) + "."
          + (i % 254 + 2)));
      api.patchLoadBalancerStatus(info.namespace(), info.name(), ingress)
          .toCompletableFuture().get();
      api.event(ObjectRef.of(info), "Normal", "UpdatedLoadBalancer", "Updated");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Service lb(String name, int port) {
    return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name)
        .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withName("p")
        .withPort(port).withProtocol("TCP").endPort().endSpec().build();
  }

  private static Settings withoutServiceLb(Settings s) {
    java.util.Set<io.netsvc.config.Component> d = new java.util.HashSet<>(s.disabled());
    d.add(io.netsvc.config.Component.SERVICELB);
    return new Settings(s.mode(), d, s.servicelbNamespace(), s.kubeconfig(), s.cluster(),
        s.node(), new io.netsvc.config.SimSettings(s.sim().nodes(), s.sim().scenarioFile(),
            s.sim().scenario(), 0, s.sim().apiPort(), s.sim().kubeconfigOut()),
        s.logLevel(), s.disableNetworkPolicy(), s.disableCloudController(), s.dataDir());
  }
}
