package io.netsvc.bench;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.config.Settings;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.sim.SimRunner;
import io.netsvc.sim.progress.Progress;
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
 * Runs the floor first (a bare client doing the same API writes netsvc does per Service: finalizer,
 * DaemonSet, status, events) on a fresh sim, then netsvc on another fresh sim, and prints both.
 * Latency is from the create call's return to the first status that lists all N nodes (what a user
 * waits for). Usage: {@code scripts/bench-servicelb [services] [nodes]}.
 */
public final class ServiceLbBench {
  private ServiceLbBench() {}

  private static final String INCOMPLETE = " INCOMPLETE";

  record Result(
      String what,
      int services,
      double seconds,
      double p50,
      double p99,
      double writesPerService,
      double patchesPerService,
      long peakHeapMiB,
      MemberWatch.Report members) {
    String row() {
      return String.format(
          java.util.Locale.ROOT,
          "| %-28s | %6d | %7.2f | %8.1f | %8.1f | %8.1f | %8.2f | %8s | %6s |",
          what,
          services,
          seconds,
          services / seconds,
          p50,
          p99,
          writesPerService,
          Double.isNaN(patchesPerService)
              ? "-"
              : String.format(java.util.Locale.ROOT, "%.2f", patchesPerService),
          // with members as processes the heaps are theirs, not this JVM's
          members == null ? String.valueOf(peakHeapMiB) : "-");
    }
  }

  /**
   * {@code -Dnetsvc.bench.members=K} (scripts/bench-servicelb with MEMBERS=K): both phases against
   * {@code netsvc sim --members 0} as a process, netsvc as K {@code netsvc server} processes
   * ({@link ProcessMembers}); 0 (the default): everything in this JVM.
   */
  static final int MEMBERS = Integer.getInteger("netsvc.bench.members", 0);

  // ServiceLB alone: no packaged components (Traefik would add a LoadBalancer of its own), nodes
  // registered ready as in the floor (no cloud-controller start-up in the burst), and no
  // NetworkPolicy controller (it has a benchmark of its own)
  private static final String[] FLAGS = {
    "--disable", "traefik,coredns", "--disable-cloud-controller", "--disable-network-policy"
  };

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Result floor;
    Result netsvc;
    CpuMeter cpu = new CpuMeter(MEMBERS > 0 ? "bench" : BENCH_ALONE);
    try (Progress progress = Progress.benchmark("servicelb")) {
      progress.listen(cpu);
      floor = run(services, nodes, true, progress, cpu);
      netsvc = run(services, nodes, false, progress, cpu);
      progress.printTable();
    }
    printCpu(cpu, services);
    System.out.println();
    System.out.println(
        "| run                          | Svcs   | total s | Svc/s    | p50 ms   | p99 ms   |"
            + " st.w/Svc | patch/Svc| heapMiB|");
    System.out.println(
        "|------------------------------|--------|---------|----------|----------|----------|"
            + "----------|----------|--------|");
    System.out.println(floor.row());
    System.out.println(netsvc.row());
    System.out.printf(
        java.util.Locale.ROOT,
        "status writes/Service: netsvc %.2f, floor %.2f (st.w/Svc: status.loadBalancer changes a"
            + " watch saw; patch/Svc: status patches made, netsvc's from"
            + " netsvc_servicelb_status_writes_total{result=\"ok\"})%n",
        netsvc.writesPerService(),
        floor.writesPerService());
    if (floor.what().endsWith(INCOMPLETE) || netsvc.what().endsWith(INCOMPLETE)) {
      // percentiles of the Services that finished in time say nothing about the ones that did not
      System.out.println(
          "ratio netsvc/floor: none: a run did not give every Service its ingress within 10"
              + " minutes (INCOMPLETE above)");
      System.exit(1);
    }
    System.out.printf(
        "ratio netsvc/floor: p50 %.2f, p99 %.2f, throughput %.2f%n",
        netsvc.p50() / floor.p50(),
        netsvc.p99() / floor.p99(),
        (services / netsvc.seconds()) / (services / floor.seconds()));
    if (MEMBERS > 0) {
      if (MemberWatch.print(netsvc.members())) System.exit(1);
    }
    System.exit(0);
  }

  /** The benchmark JVM's name in the CPU table when netsvc, the sim and the API all run in it. */
  static final String BENCH_ALONE = "bench (sim+API+netsvc, one JVM)";

  static final String QUIET = "a quiet pause before the burst";

  /** Per process and phase, then CPU per Service in the burst, netsvc's and the floor's. */
  private static void printCpu(CpuMeter cpu, int services) {
    System.out.println();
    System.out.print(
        cpu.phases()
            .table(
                "CPU per process and phase ("
                    + (MEMBERS > 0
                        ? "bench: the clients; sim: the API, the simulated nodes and their agents"
                        : "one JVM: the clients, the API, the sim and netsvc together")
                    + ")"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per Service, netsvc burst (create → every node's ingress)",
            cpu.phases().msPer(n -> n.startsWith("netsvc: ") && n.contains("Services"), services),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "  the same, net of each process's CPU at rest (quiet pause)",
            cpu.phases()
                .msPerNetOfRest(
                    n -> n.startsWith("netsvc: ") && n.contains("Services"),
                    services,
                    "netsvc: " + QUIET),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per second at rest (netsvc's quiet pause)",
            cpu.phases().msPerSecond("netsvc: " + QUIET),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per Service, floor burst (same API writes, no netsvc)",
            cpu.phases().msPer(n -> n.startsWith("floor: ") && n.contains("Services"), services),
            ""));
  }

  private static Result run(int services, int nodes, boolean floor, Progress progress, CpuMeter cpu)
      throws Exception {
    String what = floor ? "floor" : "netsvc";
    progress.phase(what + ": starting the sim" + (floor || MEMBERS == 0 ? "" : " and members"), -1);
    if (MEMBERS > 0) {
      // the floor: the same sim process, no server joined (nothing runs ServiceLB)
      try (ProcessMembers m =
          ProcessMembers.start(
              floor ? "servicelb-floor" : "servicelb",
              nodes,
              floor ? 0 : MEMBERS,
              List.of(FLAGS))) {
        cpu.track(m);
        Result r;
        try {
          r = measure(m.newClient(), m.metricsUrls(), services, nodes, floor, progress);
          cpu.heapUsed(m);
        } catch (Exception e) {
          MemberWatch.print(m.watch().report()); // what the members went through, then the error
          throw e;
        }
        MemberWatch.Report report = m.watch().report();
        return new Result(
            r.what(),
            services,
            r.seconds(),
            r.p50(),
            r.p99(),
            r.writesPerService(),
            r.patchesPerService(),
            -1,
            report);
      }
    }
    Settings settings = BenchSim.settings("netsvc-bench", nodes, FLAGS);
    if (floor) {
      settings = ServiceLbFloor.withoutServiceLb(settings);
    }
    HeapPeak.reset();
    try (SimRunner sim = SimRunner.start(settings)) {
      List<String> metrics =
          sim.members().stream().map(x -> x.member().managementUrl() + "/metrics").toList();
      return measure(sim.newClient(), metrics, services, nodes, floor, progress);
    }
  }

  private static Result measure(
      KubernetesClient client,
      List<String> metrics,
      int services,
      int nodes,
      boolean floor,
      Progress progress)
      throws Exception {
    String phase = floor ? "floor: " : "netsvc: ";
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> advertised = new ConcurrentHashMap<>();
    Map<String, Integer> statusChanges = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(services);
    SharedIndexInformer<Service> watch =
        client
            .services()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Service s) {
                    seen(null, s);
                  }

                  @Override
                  public void onUpdate(Service o, Service n) {
                    seen(o, n);
                  }

                  @Override
                  public void onDelete(Service s, boolean unknown) {}

                  private void seen(Service o, Service n) {
                    List<IngressInfo> now = Convert.service(n).ingress();
                    if (o != null && !now.equals(Convert.service(o).ingress())) {
                      statusChanges.merge(n.getMetadata().getName(), 1, Integer::sum);
                    }
                    if (now.size() == nodes
                        && n.getMetadata().getName().startsWith("bench-")
                        && advertised.putIfAbsent(n.getMetadata().getName(), System.nanoTime())
                            == null) {
                      done.countDown();
                    }
                  }
                },
                0);
    watch.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    FabricServiceLbApi api = floor ? new FabricServiceLbApi(client, "bench-floor", 8) : null;
    Map<String, CompletableFuture<Void>> dsReady = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> floors =
        java.util.Collections.synchronizedList(new ArrayList<>());
    // the floor's controller watches the svclb pods for readiness; the netsvc phase does not run
    // that watch (netsvc's member watches the pods itself: a second watch here charged netsvc for
    // deserializing the floor's pod events)
    SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> dsWatch =
        floor ? ServiceLbFloor.readiness(client, nodes, dsReady) : null;
    ExecutorService creators = Executors.newFixedThreadPool(8);
    java.util.concurrent.atomic.AtomicLong floorPatches =
        new java.util.concurrent.atomic.AtomicLong();
    // what the processes spend with nothing changing, so the burst's own cost can be told apart
    progress.phase(phase + QUIET, -1);
    Thread.sleep(3000);
    double writesBefore = statusWrites(metrics);
    progress.phase(phase + "creating Services", services, () -> created.size());
    long t0 = System.nanoTime();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      String name = "bench-" + i;
      int index = i;
      all.add(
          CompletableFuture.runAsync(
              () -> {
                Service s = client.services().resource(lb(name, 10000 + index)).create();
                created.put(name, System.nanoTime());
                if (api != null)
                  floors.add(ServiceLbFloor.writes(api, s, dsReady, nodes, floorPatches));
              },
              creators));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    progress.phase(phase + "Services with every node's ingress", services, () -> advertised.size());
    if (!floors.isEmpty()) {
      CompletableFuture.allOf(floors.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    }
    boolean finished = done.await(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.endPhase();
    List<Long> lat = new ArrayList<>();
    advertised.forEach((name, t) -> lat.add(t - created.get(name)));
    double writes =
        statusChanges.values().stream().mapToInt(Integer::intValue).sum()
            / (double) Math.max(1, advertised.size());
    // netsvc's own count of its status patches (the floor's are counted here)
    double patches =
        floor
            ? floorPatches.get() / (double) services
            : metrics.isEmpty() ? Double.NaN : (statusWrites(metrics) - writesBefore) / services;
    creators.shutdownNow();
    watch.close();
    if (dsWatch != null) dsWatch.close();
    if (api != null) api.close();
    client.close();
    String what = (floor ? "floor (bare client)" : "netsvc") + (finished ? "" : INCOMPLETE);
    return new Result(
        what,
        services,
        seconds,
        Stats.percentile(lat, 50),
        Stats.percentile(lat, 99),
        writes,
        patches,
        HeapPeak.mib(),
        null);
  }

  /** netsvc's successful status patches so far, summed over the members (0 without members). */
  private static double statusWrites(List<String> metrics) {
    return MetricsText.counter(
        MetricsText.scrape(metrics), "netsvc_servicelb_status_writes_total", "result=\"ok\"");
  }

  private static Service lb(String name, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .addNewPort()
        .withName("p")
        .withPort(port)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
