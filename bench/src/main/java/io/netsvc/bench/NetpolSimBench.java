package io.netsvc.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.config.Settings;
import io.netsvc.sim.SimRunner;
import io.netsvc.sim.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * NetworkPolicy benchmark, part (c): in {@code netsvc sim} (rules rendered and applied into each
 * node's in-memory backend, exactly as on a node), P pods and Q policies are created, then M more
 * policies one at a time; for each, the time from the create call's return until every node that
 * hosts a selected pod has acknowledged applying it. The floor, in the same run: from the same
 * create call's return until a bare watch on NetworkPolicies sees the new object — what any
 * controller has to wait before it can even start. Usage: {@code scripts/bench-netpol-sim [pods]
 * [policies] [nodes]}.
 */
public final class NetpolSimBench {
  private NetpolSimBench() {}

  static final int NAMESPACES = 30;

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int policies = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (ServiceLbBench.MEMBERS > 0) {
      CpuMeter cpu = new CpuMeter("bench");
      try (ProcessMembers m =
          ProcessMembers.start("netpol-sim", nodes, ServiceLbBench.MEMBERS, List.of(FLAGS))) {
        cpu.track(m);
        try {
          run(
              cpu,
              m,
              m.newClient(),
              new ManagementStatus(m.servers()),
              m.metricsUrls(),
              pods,
              policies,
              nodes);
        } catch (Exception e) {
          MemberWatch.print(m.watch().report()); // what the members went through, then the error
          throw e;
        }
        if (MemberWatch.print(m.watch().report())) System.exit(1);
      }
      System.exit(0);
    }
    CpuMeter cpu = new CpuMeter(ServiceLbBench.BENCH_ALONE);
    Settings settings = BenchSim.settings("netsvc-netpol-bench", nodes, FLAGS);
    HeapPeak.reset();
    try (SimRunner sim = SimRunner.start(settings)) {
      ClusterSharding sharding = ClusterSharding.get(sim.members().get(0).member().system());
      List<String> metrics =
          sim.members().stream().map(x -> x.member().managementUrl() + "/metrics").toList();
      run(
          cpu,
          null,
          sim.newClient(),
          (ns, name) -> realised(sharding, ns, name),
          metrics,
          pods,
          policies,
          nodes);
    }
    System.exit(0);
  }

  private static final String[] FLAGS = {
    "--disable", "traefik,coredns,servicelb", "--disable-cloud-controller"
  };

  /** Whether a policy was sent somewhere and every node it was sent to applied that generation. */
  interface Realised {
    boolean test(String namespace, String name) throws Exception;
  }

  private static void run(
      CpuMeter cpu,
      ProcessMembers members,
      KubernetesClient client,
      Realised realised,
      List<String> metrics,
      int pods,
      int policies,
      int nodes)
      throws Exception {
    try (Progress progress = Progress.benchmark("netpol-sim")) {
      progress.listen(cpu);
      run(client, realised, metrics, pods, policies, nodes, progress);
      if (members != null) cpu.heapUsed(members);
    }
    printCpu(cpu, pods, policies, nodes);
  }

  static final int PROBES = 200;
  static final String QUIET = "a quiet pause before the probes";

  /** The quiet pause's length: longer for a steadier CPU-at-rest figure, or to profile it. */
  static final int QUIET_SECONDS = Integer.getInteger("netsvc.bench.quiet-seconds", 3);

  /** Per process and phase, then CPU per policy change, per pod and policy set up, per node. */
  private static void printCpu(CpuMeter cpu, int pods, int policies, int nodes) {
    var phases = cpu.phases();
    System.out.println();
    System.out.print(
        phases.table(
            "CPU per process and phase ("
                + (ServiceLbBench.MEMBERS > 0
                    ? "bench: the clients; sim: the API, the simulated nodes and their agents"
                    : "one JVM: the clients, the API, the sim and netsvc together")
                + ")"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per policy change (probes, one at a time, " + PROBES + ")",
            phases.msPer(n -> n.startsWith("probes"), PROBES),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "  the same, net of each process's CPU at rest (quiet pause)",
            phases.msPerNetOfRest(n -> n.startsWith("probes"), PROBES, QUIET),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per pod set up (creating pods)",
            phases.msPer(n -> n.equals("creating pods"), pods),
            "server-"));
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per policy set up (creating policies + until the last is realised)",
            phases.msPer(
                n -> n.equals("creating policies") || n.startsWith("waiting until the set-up"),
                policies),
            "server-"));
    // what holding the nodes and objects costs with nothing changing
    System.out.println(
        io.netsvc.bench.model.CpuPhases.perUnitLine(
            "CPU per second at rest (quiet pause, " + nodes + " nodes)",
            phases.msPerSecond(QUIET),
            "server-"));
  }

  private static void run(
      KubernetesClient client,
      Realised realised,
      List<String> metrics,
      int pods,
      int policies,
      int nodes,
      Progress progress)
      throws Exception {
    int samples = PROBES;
    long t0 = System.nanoTime();
    setUp(client, pods, policies, progress);
    Progress.Phase last = progress.phase("waiting until the set-up's last policy is realised", 1);
    awaitRealised(realised, "ns-0", "p-" + (policies / NAMESPACES - 1), Duration.ofMinutes(10));
    last.increment();
    double setup = (System.nanoTime() - t0) / 1e9;
    // the last policy realised is not the last message handled: the pod events and namespace
    // snapshots of the set-up may still be compiling, which the quiet pause would count as rest
    progress.phase("waiting until the set-up settles (no compile or apply for 2 s)", -1);
    awaitSettled(metrics, Duration.ofSeconds(2), Duration.ofMinutes(5));
    Map<String, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
    var watch =
        client
            .network()
            .v1()
            .networkPolicies()
            .inAnyNamespace()
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                  @Override
                  public void onAdd(NetworkPolicy p) {
                    seen.putIfAbsent(p.getMetadata().getName(), System.nanoTime());
                  }

                  @Override
                  public void onUpdate(NetworkPolicy o, NetworkPolicy p) {}

                  @Override
                  public void onDelete(NetworkPolicy p, boolean unknown) {}
                },
                0);
    List<Long> floor = new ArrayList<>();
    List<Long> ack = new ArrayList<>();
    // what the members do with no change coming in: the set-up's tail (pods turning Ready) would
    // otherwise be counted as the probes' compiles and applies
    progress.phase(QUIET, -1);
    List<String> quiet = MetricsText.scrape(metrics);
    Thread.sleep(QUIET_SECONDS * 1000L);
    List<String> before = MetricsText.scrape(metrics);
    NetpolStages.printBackground(quiet, before, QUIET_SECONDS);
    Progress.Phase probing = progress.phase("probes: one policy at a time", samples);
    for (int i = 0; i < samples; i++) {
      String ns = "ns-" + (i % NAMESPACES);
      String name = "probe-" + i;
      client.network().v1().networkPolicies().resource(policy(ns, name, i)).create();
      long created = System.nanoTime();
      awaitRealised(realised, ns, name, Duration.ofSeconds(60));
      long done = System.nanoTime();
      while (!seen.containsKey(name)) Thread.sleep(1);
      floor.add(Math.max(0, seen.get(name) - created));
      ack.add(done - created);
      probing.increment();
    }
    progress.endPhase();
    List<String> after = MetricsText.scrape(metrics);
    watch.close();
    System.out.println();
    System.out.printf(
        "netpol sim: %d pods, %d policies, %d nodes; set-up %.1f s; heap peak %s%n",
        pods,
        policies,
        nodes,
        setup,
        // with members as processes the heaps are theirs, not this JVM's
        ServiceLbBench.MEMBERS > 0 ? "-" : HeapPeak.mib() + " MiB");
    System.out.println("| what | samples | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|");
    System.out.printf(
        "| floor: create returned → a bare watch sees it | %d | %.1f | %.1f |%n",
        samples, Stats.percentile(floor, 50), Stats.percentile(floor, 99));
    System.out.printf(
        "| netsvc: create returned → every target node applied | %d | %.1f | %.1f |%n",
        samples, Stats.percentile(ack, 50), Stats.percentile(ack, 99));
    NetpolStages.print(floor, ack, before, after);
    progress.printTable();
    client.close();
  }

  /**
   * Until the members' compile and apply counts have stayed the same for {@code still}, or {@code
   * limit} passed (then the pause below is not quiet, and says so with its background counts).
   */
  private static void awaitSettled(List<String> metrics, Duration still, Duration limit)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    long last = -1;
    long since = System.nanoTime();
    while (System.nanoTime() < end) {
      List<String> now = MetricsText.scrape(metrics);
      long work =
          MetricsText.count(MetricsText.buckets(now, NetpolStages.COMPILE))
              + MetricsText.count(MetricsText.buckets(now, NetpolStages.APPLY));
      if (work != last) {
        last = work;
        since = System.nanoTime();
      } else if (work > 0 && System.nanoTime() - since >= still.toNanos()) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /** Namespace {@code ns-n}, labelled with its name and a tier (front for every third). */
  static Namespace namespace(int n) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName("ns-" + n)
        .addToLabels("kubernetes.io/metadata.name", "ns-" + n)
        .addToLabels("tier", n % 3 == 0 ? "front" : "back")
        .endMetadata()
        .build();
  }

  private static void setUp(KubernetesClient client, int pods, int policies, Progress progress)
      throws Exception {
    Progress.Phase namespaces = progress.phase("creating namespaces", NAMESPACES);
    for (int n = 0; n < NAMESPACES; n++) {
      client.namespaces().resource(namespace(n)).create();
      namespaces.increment();
    }
    ExecutorService writers = Executors.newFixedThreadPool(8);
    List<Future<?>> all = new ArrayList<>();
    Progress.Phase podsDone = progress.phase("creating pods", pods);
    for (int i = 0; i < pods; i++) {
      int index = i;
      all.add(
          writers.submit(
              () -> {
                client.pods().resource(pod(index)).create();
                podsDone.increment();
              }));
    }
    for (Future<?> f : all) f.get();
    all.clear();
    Progress.Phase policiesDone = progress.phase("creating policies", policies);
    for (int i = 0; i < policies; i++) {
      int index = i;
      String ns = "ns-" + (i % NAMESPACES);
      String name = "p-" + (i / NAMESPACES);
      all.add(
          writers.submit(
              () -> {
                client.network().v1().networkPolicies().resource(policy(ns, name, index)).create();
                policiesDone.increment();
              }));
    }
    for (Future<?> f : all) f.get();
    writers.shutdown();
  }

  static Pod pod(int i) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("ns-" + (i % NAMESPACES))
        .withName("pod-" + i)
        .addToLabels("app", "app-" + (i % 20))
        .addToLabels("role", i % 2 == 0 ? "server" : "client")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example/app")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  /** A mix: pod selectors in the namespace, every tenth from namespaces by label, a named port. */
  static NetworkPolicy policy(String ns, String name, int i) {
    var b =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .addToMatchLabels("app", "app-" + (i % 20))
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .addNewFrom()
            .withNewPodSelector()
            .addToMatchLabels("role", "client")
            .endPodSelector();
    if (i % 10 == 0) {
      b =
          b.endFrom()
              .addNewFrom()
              .withNewNamespaceSelector()
              .addToMatchLabels("tier", "front")
              .endNamespaceSelector();
    }
    return b.endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withNewPort("http")
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  /** Until the policy was sent somewhere and every node it was sent to applied that generation. */
  static void awaitRealised(Realised realised, String ns, String name, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (realised.test(ns, name)) return;
      Thread.sleep(1);
    }
    throw new IllegalStateException("policy " + ns + "/" + name + " not realised within " + max);
  }

  private static boolean realised(ClusterSharding sharding, String ns, String name)
      throws Exception {
    NetworkPolicyActor.Status s;
    try {
      s =
          sharding
              .entityRefFor(NetworkPolicyActor.TYPE_KEY, ns + "/" + name)
              .ask(NetworkPolicyActor.GetStatus::new, Duration.ofSeconds(30))
              .toCompletableFuture()
              .get();
    } catch (java.util.concurrent.ExecutionException e) {
      return false; // busy during the set-up burst: ask again
    }
    return !s.sent().isEmpty() && s.sent().equals(s.realised());
  }
}
