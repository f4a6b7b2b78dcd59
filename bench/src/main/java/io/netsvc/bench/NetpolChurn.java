package io.netsvc.bench;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.NamespaceView;
import io.netsvc.actors.netpol.model.PodImpact;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.RestorePlan;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part (b) of the NetworkPolicy benchmark: with about {@code targetRules} rules on the node, one
 * pod starts on it, {@code reps} times (a new pod each time). Times the change as netsvc makes it —
 * recompile the policies the pod concerns (those {@link PodImpact} picks: the pod is a target or a
 * peer, or carries a named port looked up on every pod), render the node, plan the difference,
 * apply through {@link RenderingDataplane} — against the floor (the plan's own texts through the
 * tools, into a second namespace holding the same rules) and against a full rewrite as kube-router
 * does it (every chain declared again and every set swapped in: a plan from the empty ruleset).
 */
final class NetpolChurn {
  /**
   * Medians over the repetitions, except: the per-policy-view compile and the full rewrite ran
   * fewer times ({@code fullReps}; the compile once), the initial load once; {@code changed} and
   * {@code rules} are as after the last pod.
   */
  record Row(
      int policies,
      int rendered,
      int rules,
      double initialApplyMs,
      double initialFloorMs,
      int initialBytes,
      int affected,
      int changed,
      double compileSharedMs,
      double compileActorMs,
      NetpolBench.Change change,
      int iptablesBytes,
      List<Integer> bytesPerPod,
      double fullPlanMs,
      double fullToolsMs,
      int fullBytes,
      int fullReps,
      double dumpMs) {}

  private final NetpolBench bench;
  private final NetpolKernel kernel;

  /** Pods started so far in {@link #run} (its progress). */
  final java.util.concurrent.atomic.AtomicLong podsDone =
      new java.util.concurrent.atomic.AtomicLong();

  NetpolChurn(NetpolBench bench, NetpolKernel kernel) {
    this.bench = bench;
    this.kernel = kernel;
  }

  Row run(int targetRules, int reps) throws BackendException {
    int n = policiesFor(targetRules);
    List<NetworkPolicyInfo> infos = bench.world.policies(n);
    Map<String, CompiledPolicy> current = new LinkedHashMap<>();
    bench.compiledPrefix(n).forEach(c -> current.put(c.key(), c));
    List<NetpolPod> pods = new ArrayList<>(bench.world.pods);
    List<NetpolPod> local = new ArrayList<>(bench.local);
    Ruleset before = NetpolBench.render(local, current.values());
    int rendered = NodeRuleset.of(NetpolBench.NODE, local, current.values()).policies().size();
    NetpolKernel.Pair pair = kernel.pair("b" + targetRules);
    NetpolKernel.Pair.Applied initial = pair.apply(NetpolBench.state(local, current.values()));
    int fullReps = targetRules > 50_000 ? 1 : Math.min(3, reps);
    Map<String, List<Long>> t = new LinkedHashMap<>();
    int affected = 0;
    int changed = 0;
    List<Integer> bytes = new ArrayList<>();
    List<Integer> iptBytes = new ArrayList<>();
    int fullBytes = 0;
    ClusterView nsLabels = ClusterView.of(bench.world.namespaces, List.of());
    for (int k = 1; k <= reps; k++) {
      NetpolPod pod = NetpolWorkload.newPod(k);
      pods.add(pod);
      local.add(pod);
      Map<String, String> labels = nsLabels.namespaceLabels(pod.namespace());
      List<NetworkPolicyInfo> hit =
          infos.stream().filter(p -> PodImpact.matters(p, labels, null, pod)).toList();
      long t0 = System.nanoTime();
      ClusterView v = ClusterView.of(bench.world.namespaces, pods);
      List<CompiledPolicy> once = hit.stream().map(p -> PolicyCompiler.compile(p, v)).toList();
      add(t, "shared", System.nanoTime() - t0);
      if (k == 1) { // one run: at ~100k rules it alone takes a minute
        long a0 = System.nanoTime();
        Map<String, NamespaceView> views = views(pods);
        List<CompiledPolicy> each = hit.stream().map(p -> actorCompile(p, views)).toList();
        add(t, "actor", System.nanoTime() - a0);
        if (!once.equals(each)) System.out.println("note: per-policy views compiled differently");
      }
      affected = hit.size();
      changed = 0;
      for (CompiledPolicy c : once) {
        // as a NetworkPolicyActor does: an unchanged result is not sent, the agent keeps its object
        if (c.equals(current.get(c.key()))) continue;
        current.put(c.key(), c);
        changed++;
      }
      long t3 = System.nanoTime();
      Ruleset after = NetpolBench.render(local, current.values());
      long t4 = System.nanoTime();
      RestorePlan p = RestorePlan.between(before, after);
      long t5 = System.nanoTime();
      NetpolKernel.Pair.Applied a = pair.apply(NetpolBench.state(local, current.values()));
      bytes.add(NetpolBench.bytes(p));
      iptBytes.add(p.iptables(IpFamily.IPV4).length());
      if (a.bytes() != NetpolBench.bytes(p)) {
        System.out.printf(
            "note: dataplane wrote %d B, plan %d B%n", a.bytes(), NetpolBench.bytes(p));
      }
      add(t, "floor", a.floorNanos());
      add(t, "render", t4 - t3);
      add(t, "plan", t5 - t4);
      add(t, "apply", a.applyNanos());
      add(t, "tools", a.toolsNanos());
      if (k <= fullReps) {
        long f0 = System.nanoTime();
        RestorePlan full =
            RestorePlan.between(
                Ruleset.EMPTY, after, NetpolKernel.liveBuiltins(pair.floor, IpFamily.IPV4));
        add(t, "fullPlan", System.nanoTime() - f0);
        fullBytes = NetpolBench.bytes(full);
        add(t, "fullTools", applyFull(pair.floor, full));
      }
      before = after;
      podsDone.incrementAndGet();
    }
    long d0 = System.nanoTime();
    before.dump(); // RenderingDataplane puts the dump into every Report
    double dumpMs = (System.nanoTime() - d0) / 1e6;
    pair.close();
    return new Row(
        n,
        rendered,
        before.counts().rules(),
        initial.applyNanos() / 1e6,
        initial.floorNanos() / 1e6,
        initial.bytes(),
        affected,
        changed,
        median(t, "shared"),
        median(t, "actor"),
        new NetpolBench.Change(
            median(t, "render"),
            median(t, "plan"),
            median(t, "apply"),
            median(t, "tools"),
            median(t, "floor"),
            medianOf(bytes)),
        medianOf(iptBytes),
        List.copyOf(bytes),
        median(t, "fullPlan"),
        median(t, "fullTools"),
        fullBytes,
        fullReps,
        dumpMs);
  }

  private static int medianOf(List<Integer> xs) {
    List<Integer> sorted = new ArrayList<>(xs);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void add(Map<String, List<Long>> t, String what, long nanos) {
    t.computeIfAbsent(what, k -> new ArrayList<>()).add(nanos);
  }

  private static double median(Map<String, List<Long>> t, String what) {
    return Stats.percentile(t.getOrDefault(what, List.of()), 50);
  }

  /** The policy count whose ruleset on this node has about {@code target} rules. */
  private int policiesFor(int target) {
    int r1 = rulesAt(1000);
    int r2 = rulesAt(5000);
    double slope = (r2 - r1) / 4000.0;
    double base = r1 - slope * 1000;
    int n = Math.max(10, (int) Math.round((target - base) / slope));
    int r = rulesAt(n); // one correction: the mix is not perfectly linear in its prefix
    n = Math.max(10, (int) Math.round(n * (target - base) / (r - base) / 10.0) * 10);
    return n;
  }

  private int rulesAt(int n) {
    return NetpolBench.render(bench.local, bench.compiledPrefix(n)).counts().rules();
  }

  /** The namespaces as their NamespaceActors hand them out: one view each, shared. */
  private Map<String, NamespaceView> views(List<NetpolPod> pods) {
    Map<String, List<NetpolPod>> byNs = new LinkedHashMap<>();
    pods.forEach(p -> byNs.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p));
    Map<String, NamespaceView> out = new LinkedHashMap<>();
    for (NamespaceInfo n : bench.world.namespaces) {
      out.put(n.name(), NamespaceView.of(n.name(), n, 0, byNs.getOrDefault(n.name(), List.of())));
    }
    return out;
  }

  /**
   * As a NetworkPolicyActor compiles: against the shared views of the namespaces it subscribes to
   * (every namespace when {@link #reads}, else its own).
   */
  private static CompiledPolicy actorCompile(NetworkPolicyInfo p, Map<String, NamespaceView> v) {
    List<NamespaceView> read = reads(p) ? List.copyOf(v.values()) : List.of(v.get(p.namespace()));
    return PolicyCompiler.compile(p, ClusterView.of(read));
  }

  /**
   * Whether the policy subscribes to every namespace (the rule of actors' {@code NetpolNeeds}): a
   * namespace selector, named ports with no peers, or an ipBlock with named ports. Which pod events
   * recompile it is narrower: {@link PodImpact}.
   */
  static boolean reads(NetworkPolicyInfo p) {
    return readsAll(p.ingress()) || readsAll(p.egress());
  }

  private static boolean readsAll(List<NetworkPolicyInfo.Rule> rules) {
    if (rules == null) return false;
    for (NetworkPolicyInfo.Rule r : rules) {
      boolean named =
          r.ports().stream()
              .anyMatch(x -> x.port() != null && !x.port().chars().allMatch(Character::isDigit));
      if (named && r.peers().isEmpty()) return true;
      for (NetworkPolicyInfo.Peer peer : r.peers()) {
        if (peer.namespaceSelector() != null || (peer.ipBlock() != null && named)) return true;
      }
    }
    return false;
  }

  private static long applyFull(NetnsBackend b, RestorePlan full) throws BackendException {
    long t0 = System.nanoTime();
    if (!full.ipsetBefore().isEmpty()) b.ipsetRestore(full.ipsetBefore());
    String text = full.iptables(IpFamily.IPV4);
    if (!text.isEmpty()) b.restore(IpFamily.IPV4, text);
    if (!full.ipsetAfter().isEmpty()) b.ipsetRestore(full.ipsetAfter());
    return System.nanoTime() - t0;
  }
}
