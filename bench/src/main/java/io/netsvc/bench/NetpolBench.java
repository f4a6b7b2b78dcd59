package io.netsvc.bench;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.model.NetpolNode;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.RestorePlan;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import io.netsvc.nodeagent.netpol.model.RulesetRenderer;
import io.netsvc.sim.progress.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * NetworkPolicy benchmark on one node (IPv4): 110 local pods in 10 namespaces, 3,000 pods on 30
 * other nodes, a mix of policies. (a) For 1,000 and 5,000 policies: compile, render and plan times
 * (pure, median of 3 after a warm-up), the apply through {@link RenderingDataplane} into a fresh
 * network namespace, and in the same run the floor: the very texts it wrote, replayed through the
 * same tools into another fresh namespace (3 such pairs: the median, and the first run's ratio
 * apart, as it includes the JIT's warm-up of the dataplane's path); rule/chain/set counts next to
 * kube-router's layout (estimated by {@link KubeRouterLayout}). (b) See {@link NetpolChurn}. Needs
 * root; creates only {@code nbench_*} namespaces without links, sends no packet. Usage: {@code
 * scripts/bench-netpol [policies=1000,5000] [rules=10000,100000] [reps=5]}.
 */
public final class NetpolBench {
  static final Set<IpFamily> V4 = Set.of(IpFamily.IPV4);
  static final int LOCAL_PODS = 110;
  static final int REMOTE_PODS = 3000;

  /** The node exactly as {@link RenderingDataplane} builds it, so pure renders equal its own. */
  static final NetpolNode NODE =
      new NetpolNode(
          NetpolWorkload.NODE, V4, List.of(NetpolWorkload.POD_CIDR), List.of(), "30000:32767");

  final NetpolWorkload world = new NetpolWorkload(LOCAL_PODS, REMOTE_PODS);
  final List<NetpolPod> local =
      world.pods.stream().filter(p -> NetpolWorkload.NODE.equals(p.nodeName())).toList();
  private final ClusterView view = ClusterView.of(world.namespaces, world.pods);
  private final List<CompiledPolicy> compiled = new ArrayList<>();

  /**
   * One change of the node's rules: render and plan (pure), the dataplane's apply and of it the
   * tools, the floor (the same texts through the same tools), bytes written.
   */
  record Change(
      double renderMs, double planMs, double applyMs, double toolsMs, double floorMs, int bytes) {}

  record SizeRow(
      int policies,
      int rendered,
      double compileMs,
      Change change,
      NetpolKernel.Pair.Applied first,
      double warmJavaMs,
      Ruleset.Counts netsvc,
      Ruleset.Counts kubeRouter) {}

  public static void main(String[] args) throws Exception {
    int[] sizes = ints(args.length > 0 ? args[0] : "1000,5000");
    int[] targets = ints(args.length > 1 ? args[1] : "10000,100000");
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    NetpolBench bench = new NetpolBench();
    System.out.printf(
        "cluster: %d local pods, %d remote pods on %d nodes, %d namespaces; %s%n",
        bench.local.size(),
        bench.world.pods.size() - bench.local.size(),
        NetpolWorkload.REMOTE_NODES,
        bench.world.namespaces.size(),
        Runtime.version());
    List<SizeRow> a = new ArrayList<>();
    List<NetpolChurn.Row> b = new ArrayList<>();
    try (Progress progress = Progress.benchmark("netpol");
        NetpolKernel kernel = new NetpolKernel()) {
      progress.phase("warm-up", -1);
      bench.warmUp();
      for (int p : sizes) {
        Progress.Phase size = progress.phase("(a) " + p + " policies: compile to apply", 1);
        a.add(bench.size(kernel, p));
        size.increment();
      }
      for (int t : targets) {
        NetpolChurn churn = new NetpolChurn(bench, kernel);
        progress.phase("(b) ~" + t + " rules: pods started", reps, churn.podsDone::get);
        b.add(churn.run(t, reps));
      }
      progress.printTable();
    }
    System.out.println();
    NetpolTables.sizes(a);
    System.out.println();
    NetpolTables.churn(b, reps);
    System.exit(0);
  }

  /** Policies 0..n-1 compiled against the initial cluster (cached: compiling is per policy). */
  List<CompiledPolicy> compiledPrefix(int n) {
    while (compiled.size() < n) {
      compiled.add(PolicyCompiler.compile(NetpolWorkload.policy(compiled.size()), view));
    }
    return compiled.subList(0, n);
  }

  static Ruleset render(Collection<NetpolPod> localPods, Collection<CompiledPolicy> policies) {
    return RulesetRenderer.render(NodeRuleset.of(NODE, localPods, policies));
  }

  static NetpolDataplane.State state(
      Collection<NetpolPod> localPods, Collection<CompiledPolicy> policies) {
    return new NetpolDataplane.State(
        NetpolWorkload.NODE, List.of(NetpolWorkload.POD_CIDR), localPods, policies);
  }

  static NetnsBackend backend(String netns) throws BackendException {
    NetnsBackend b = new NetnsBackend(netns, NetpolKernel.TOOL_TIMEOUT);
    b.ensureUsable(); // resolves the tools now, not inside the first timed call
    return b;
  }

  static NetpolDataplane.Report check(NetpolDataplane.Report r) {
    if (r.error() != null) throw new IllegalStateException("apply failed: " + r.error());
    return r;
  }

  static int bytes(RestorePlan p) {
    int n = p.ipsetBefore().length() + p.ipsetAfter().length();
    for (String t : p.iptables().values()) n += t.length();
    return n;
  }

  private void warmUp() {
    List<NetworkPolicyInfo> ps = world.policies(2000);
    for (int i = 0; i < 3; i++) {
      ClusterView v = ClusterView.of(world.namespaces, world.pods);
      List<CompiledPolicy> cps = ps.stream().map(p -> PolicyCompiler.compile(p, v)).toList();
      RestorePlan.between(Ruleset.EMPTY, render(local, cps));
    }
  }

  private SizeRow size(NetpolKernel kernel, int n) throws BackendException {
    List<NetworkPolicyInfo> ps = world.policies(n);
    List<Long> compile = new ArrayList<>();
    List<Long> render = new ArrayList<>();
    List<Long> plan = new ArrayList<>();
    List<CompiledPolicy> cps = List.of();
    NodeRuleset nr = null;
    Ruleset wanted = null;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      ClusterView v = ClusterView.of(world.namespaces, world.pods);
      cps = ps.stream().map(p -> PolicyCompiler.compile(p, v)).toList();
      long t1 = System.nanoTime();
      nr = NodeRuleset.of(NODE, local, cps);
      wanted = RulesetRenderer.render(nr);
      long t2 = System.nanoTime();
      RestorePlan.between(Ruleset.EMPTY, wanted);
      long t3 = System.nanoTime();
      compile.add(t1 - t0);
      render.add(t2 - t1);
      plan.add(t3 - t2);
    }
    // each run a fresh dataplane into a fresh pair of namespaces: the first of them is the first
    // time this JVM loads a node of this size (its JIT still cold for the dataplane's own path)
    List<NetpolKernel.Pair.Applied> runs = new ArrayList<>();
    for (int i = 0; i < KERNEL_RUNS; i++) {
      try (NetpolKernel.Pair pair = kernel.pair("a" + n + "_" + i)) {
        runs.add(pair.apply(state(local, cps)));
      }
    }
    return new SizeRow(
        n,
        nr.policies().size(),
        Stats.percentile(compile, 50),
        new Change(
            Stats.percentile(render, 50),
            Stats.percentile(plan, 50),
            median(runs, NetpolKernel.Pair.Applied::applyNanos),
            median(runs, NetpolKernel.Pair.Applied::toolsNanos),
            median(runs, NetpolKernel.Pair.Applied::floorNanos),
            runs.get(0).bytes()),
        runs.get(0),
        warmJavaMs(cps),
        wanted.counts(),
        KubeRouterLayout.counts(nr, cps));
  }

  /**
   * The dataplane's Java part of a load from empty once the JIT has seen it many times: a fresh
   * dataplane applying into {@link NoKernel}, median of {@code WARM_RUNS} after as many unmeasured.
   */
  private double warmJavaMs(List<CompiledPolicy> cps) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < 2 * WARM_RUNS; i++) {
      long t0 = System.nanoTime();
      check(new RenderingDataplane(new NoKernel(), V4).apply(state(local, cps)));
      if (i >= WARM_RUNS) nanos.add(System.nanoTime() - t0);
    }
    return Stats.percentile(nanos, 50);
  }

  static final int WARM_RUNS = 10;

  /** Fresh namespaces per size in (a): the median is reported (ms), the first run apart. */
  static final int KERNEL_RUNS = 3;

  private static double median(
      List<NetpolKernel.Pair.Applied> runs, ToLongFunction<NetpolKernel.Pair.Applied> f) {
    return Stats.percentile(runs.stream().map(f::applyAsLong).toList(), 50);
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .mapToInt(Integer::parseInt)
        .toArray();
  }
}
