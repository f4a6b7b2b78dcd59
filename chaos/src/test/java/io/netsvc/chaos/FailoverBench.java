package io.netsvc.chaos;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.sim.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * scripts/bench-failover: kill -9 of a server process, alternating the oldest controller (the
 * singletons and shard coordinators) and another one, with three servers and the sim's agents as
 * separate JVMs. Per kill it measures from the SIGKILL until a Service created right after it has
 * ingress on every node, and until a Service deleted right after it is gone; then it restarts the
 * killed server on the same address and waits for three Up servers. "Lost" counts the Services that
 * lost ingress while their svclb pods stayed Ready (polled every 100 ms), or that ended a round
 * without ingress on every node. Usage: FailoverBench [KILLS] [NODES] [SERVICES] [now]. With {@code
 * -Dnetsvc.chaos.pods=true} the servers have Pods that the harness keeps as their kubelet would,
 * and run the pod witness ({@link ProcessCluster#startWithPods}).
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int services = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    boolean restartNow = args.length > 3 && "now".equals(args[3]);
    Duration limit = Duration.ofSeconds(60);
    boolean pods = Boolean.getBoolean("netsvc.chaos.pods");
    System.out.println(
        pods
            ? "pods mode: the pod witness downs a killed server once its pod reports it ("
                + KubeletPods.REPORT_DELAY.toMillis()
                + " ms after the kill)"
            : "failure detector only (no pods)");
    Progress progress = Progress.benchmark("failover");
    progress.phase("starting the sim and 3 servers", -1);
    try (ProcessCluster cluster =
        pods
            ? ProcessCluster.startWithPods("bench-failover", nodes, 3)
            : ProcessCluster.start("bench-failover", nodes, 3)) {
      KubernetesClient api = cluster.client();
      Set<String> stable = new LinkedHashSet<>();
      Progress.Phase creating = progress.phase("creating stable Services", services);
      for (int i = 0; i < services; i++) {
        api.services().resource(Burst.lb("default", "stable-" + i, 8100 + i)).create();
        stable.add("stable-" + i);
        creating.increment();
      }
      progress.phase(
          "stable Services with every node's ingress",
          services,
          () -> stable.stream().filter(s -> LbServices.ingress(api, s).size() == nodes).count());
      waitFor(
          () -> stable.stream().allMatch(s -> LbServices.ingress(api, s).size() == nodes), limit);
      Progress.Phase rounds = progress.phase("kills (each: kill, measure, restart, 3 Up)", kills);
      System.out.printf(
          "%-5s %-10s %-22s %9s %9s %5s%n", "kill", "victim", "", "create_s", "delete_s", "lost");
      List<Double> create = new ArrayList<>();
      List<Double> delete = new ArrayList<>();
      Set<String> lost = new TreeSet<>();
      for (int k = 0; k < kills; k++) {
        boolean oldest = k % 2 == 0;
        ProcessCluster.Server o = cluster.oldestController();
        ProcessCluster.Server victim =
            oldest ? o : cluster.servers().stream().filter(s -> s != o).findFirst().orElseThrow();
        String doomed = "doomed-" + k;
        String after = "after-" + k;
        api.services().resource(Burst.lb("default", doomed, 9000 + 2 * k)).create();
        waitFor(() -> LbServices.ingress(api, doomed).size() == nodes, limit);
        Set<String> watched = new LinkedHashSet<>();
        stable.forEach(s -> watched.add("default/" + s));
        double c = -1;
        double d = -1;
        List<String> losses;
        try (IngressWatch watch = new IngressWatch(api, watched)) {
          long t0 = System.nanoTime();
          cluster.kill9(victim);
          if (restartNow) cluster.restart(victim);
          api.services().resource(Burst.lb("default", after, 9001 + 2 * k)).create();
          api.services().inNamespace("default").withName(doomed).delete();
          long deadline = t0 + limit.toNanos();
          while (System.nanoTime() < deadline && (c < 0 || d < 0)) {
            double t = (System.nanoTime() - t0) / 1e9;
            if (c < 0 && LbServices.ingress(api, after).size() == nodes) c = t;
            if (d < 0 && LbServices.get(api, doomed) == null) d = t;
            TimeUnit.MILLISECONDS.sleep(50);
          }
          losses = watch.losses();
        }
        for (String s : stable) if (LbServices.ingress(api, s).size() != nodes) lost.add(s);
        losses.forEach(l -> lost.add(l.replaceAll(".*Service default/(\\S+).*", "$1")));
        System.out.printf(
            "%-5d %-10s %-22s %9s %9s %5d%n",
            k + 1,
            oldest ? "oldest" : "non-oldest",
            victim.address(),
            c < 0 ? ">" + limit.toSeconds() : String.format("%.1f", c),
            d < 0 ? ">" + limit.toSeconds() : String.format("%.1f", d),
            losses.size());
        create.add(c < 0 ? Double.POSITIVE_INFINITY : c);
        delete.add(d < 0 ? Double.POSITIVE_INFINITY : d);
        if (!restartNow) cluster.restart(victim);
        cluster.awaitControllersUp(3, Duration.ofSeconds(180));
        api.services().inNamespace("default").withName(after).delete();
        rounds.increment();
      }
      progress.close();
      List<Double> both = new ArrayList<>();
      for (int i = 0; i < create.size(); i++) both.add(Math.max(create.get(i), delete.get(i)));
      System.out.printf(
          "failover (create and delete done) p50 %.1f s  p99 %.1f s  over %d kills;"
              + " create p50 %.1f p99 %.1f; delete p50 %.1f p99 %.1f%n",
          pct(both, 50),
          pct(both, 99),
          kills,
          pct(create, 50),
          pct(create, 99),
          pct(delete, 50),
          pct(delete, 99));
      System.out.println("Services lost: " + lost.size() + (lost.isEmpty() ? "" : " " + lost));
      System.out.println("logs: " + cluster.logs());
      progress.printTable();
    } finally {
      progress.close();
    }
  }

  /** Nearest-rank percentile. */
  static double pct(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int rank = (int) Math.ceil(p / 100.0 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }

  private static void waitFor(java.util.function.BooleanSupplier done, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("not converged in " + limit);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
