package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import io.netsvc.nodeagent.netpol.model.LiveRuleset;
import io.netsvc.nodeagent.netpol.model.NetpolNode;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.RestorePlan;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import io.netsvc.nodeagent.netpol.model.RulesetRenderer;
import io.netsvc.nodeagent.netpol.model.SavedState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataplane every backend shares. It keeps the node's rendered ruleset between changes ({@link
 * LiveRuleset}) and for a change of some policies or pods patches only their chains and sets and
 * plans just those ({@link RestorePlan#patch}): O(change), not O(rules on the node). Given the
 * changed inputs ({@link NetpolDataplane.State#changes()}) it looks at nothing else; without them
 * it compares every input with the kept ones to find the change. It renders the whole node and
 * diffs it with the kernel's listing at start, after a failure (when it no longer trusts its memory
 * of the kernel), and when the node itself changes (pod CIDRs). Writes go to the backend as {@code
 * ipset restore}, one {@code iptables-restore --noflush} per family, {@code ipset restore} for
 * removals. Drift is found by comparing our chains' rule counts and our sets' sizes with the
 * kernel's listing (the sets' headers, not their members: {@link RulesBackend#setSizes()}), and
 * repaired the same way; a rare consistency check compares the patched ruleset with a fresh render
 * and applies the fresh one if they differ. Both checks can also be handed out as probes that run
 * on another thread while applies go on ({@link #driftProbe}, {@link #consistencyProbe}): each
 * takes an immutable copy of the ruleset (O(chains + sets); the rule lists are shared) and touches
 * nothing the dataplane keeps.
 */
public final class RenderingDataplane implements NetpolDataplane {
  private final RulesBackend backend;
  private final Set<IpFamily> families;
  // what the kernel holds of ours, when trusted
  private LiveRuleset live;
  private boolean trusted;
  private long kernelNanos;

  /**
   * @param families the families this node enforces (IPv4 and, on dual-stack nodes, IPv6)
   */
  public RenderingDataplane(RulesBackend backend, Set<IpFamily> families) {
    this.backend = backend;
    this.families = EnumSet.copyOf(families);
  }

  @Override
  public Report apply(State state) {
    long t0 = System.nanoTime();
    kernelNanos = 0;
    NetpolNode node =
        new NetpolNode(
            state.node(), families, List.copyOf(state.podCidrs()), List.of(), "30000:32767");
    try {
      RestorePlan plan;
      if (trusted && live != null && live.node().equals(node)) {
        LiveRuleset.Patch p =
            state.changes() != null
                ? live.patch(state.changes().pods(), state.changes().policies())
                : live.update(state.localPods(), state.policies());
        plan = RestorePlan.patch(p.before(), p.after(), live.families());
      } else {
        Ruleset before = trusted && live != null ? live.ruleset() : null;
        live = null; // half-built on an exception: the next apply starts over
        LiveRuleset next = LiveRuleset.of(node, state.localPods(), state.policies());
        live = next;
        plan = before != null ? RestorePlan.between(before, next.ruleset()) : fromKernel(next);
      }
      int bytes = write(plan);
      Ruleset.Counts c = live.counts();
      long kernel = kernelNanos / 1_000_000;
      long all = millisSince(t0);
      return new Report(all, c.chains(), c.rules(), c.sets(), bytes, null, all - kernel, kernel);
    } catch (BackendException | RuntimeException e) {
      trusted = false;
      long kernel = kernelNanos / 1_000_000;
      return new Report(
          millisSince(t0), 0, 0, 0, 0, e.getMessage(), millisSince(t0) - kernel, kernel);
    }
  }

  /** Rulesets up to this many rules and set members are shown as text (for the route). */
  static final int SHOWN = 5_000;

  @Override
  public String show() {
    if (live == null) return "# nothing applied yet\n";
    Ruleset.Counts c = live.counts();
    return c.rules() + c.members() <= SHOWN ? live.ruleset().dump() : summary(c);
  }

  private static String summary(Ruleset.Counts c) {
    return "# "
        + c.chains()
        + " chains, "
        + c.rules()
        + " rules, "
        + c.sets()
        + " sets with "
        + c.members()
        + " members: too large to show here; read it on the node with iptables-save and ipset"
        + " save\n";
  }

  /** The plan from what the kernel holds (read now) to {@code wanted}. */
  private RestorePlan fromKernel(LiveRuleset wanted) throws BackendException {
    // one read of the kernel serves both: our chains and sets, and the built-in chains
    long t0 = System.nanoTime();
    Map<IpFamily, String> saves = new EnumMap<>(IpFamily.class);
    for (IpFamily f : families) saves.put(f, backend.saveFilterTable(f));
    String sets = backend.saveSets();
    kernelNanos += System.nanoTime() - t0;
    return RestorePlan.between(
        SavedState.parse(saves, sets), wanted.ruleset(), liveBuiltins(saves));
  }

  private int write(RestorePlan plan) throws BackendException {
    long t0 = System.nanoTime();
    int bytes = 0;
    try {
      if (!plan.ipsetBefore().isEmpty()) {
        backend.ipsetRestore(plan.ipsetBefore());
        bytes += plan.ipsetBefore().length();
      }
      for (IpFamily f : IpFamily.values()) {
        String text = plan.iptables(f);
        if (text.isEmpty()) continue;
        backend.restore(f, text);
        bytes += text.length();
      }
      if (!plan.ipsetAfter().isEmpty()) {
        backend.ipsetRestore(plan.ipsetAfter());
        bytes += plan.ipsetAfter().length();
      }
    } finally {
      kernelNanos += System.nanoTime() - t0;
    }
    trusted = true;
    return bytes;
  }

  @Override
  public boolean repairDrift() {
    // the probe's read and comparison, on this thread
    DriftProbe probe = driftProbe();
    if (probe == null) return false;
    try {
      if (!probe.drifted()) return false;
    } catch (IllegalStateException unreadable) {
      trusted = false;
      throw unreadable;
    }
    return restoreDrifted();
  }

  @Override
  public DriftProbe driftProbe() {
    if (!trusted || live == null) return null;
    // an immutable copy (the chains' rule lists are shared, they are never modified): O(chains)
    Ruleset ours = live.ruleset();
    RulesBackend kernel = backend;
    Set<IpFamily> fs = families;
    return () -> {
      try {
        return DriftCounts.drifted(ours, readRuleCounts(kernel, fs), kernel.setSizes());
      } catch (BackendException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
  }

  /** Per family, the kernel's rule count per chain. Reads the kernel only. */
  private static Map<IpFamily, Map<String, Integer>> readRuleCounts(
      RulesBackend backend, Set<IpFamily> families) throws BackendException {
    Map<IpFamily, Map<String, Integer>> out = new EnumMap<>(IpFamily.class);
    for (IpFamily f : families) out.put(f, DriftCounts.ruleCounts(backend.saveFilterTable(f)));
    return out;
  }

  @Override
  public boolean restoreDrifted() {
    if (!trusted || live == null) return false;
    try {
      trusted = false;
      write(fromKernel(live));
      return true;
    } catch (BackendException e) {
      trusted = false;
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public ConsistencyProbe consistencyProbe(State whole) {
    if (!trusted || live == null) return null;
    Ruleset patched = live.ruleset();
    NetpolNode node = live.node();
    // immutable records: the render on another thread reads nothing this dataplane changes
    List<NetpolPod> pods =
        whole == null ? List.copyOf(live.pods()) : List.copyOf(whole.localPods());
    List<CompiledPolicy> policies =
        whole == null ? List.copyOf(live.policies()) : List.copyOf(whole.policies());
    return () ->
        LiveRuleset.differences(
            patched, RulesetRenderer.render(NodeRuleset.of(node, pods, policies)));
  }

  @Override
  public List<String> repairInconsistency(State whole) {
    if (!trusted || live == null) return List.of();
    try {
      // every input compared with the kept one: a change the partial applies missed shows here
      LiveRuleset.Patch p = live.update(whole.localPods(), whole.policies());
      if (p.policies() + p.pods() > 0) {
        write(RestorePlan.patch(p.before(), p.after(), live.families()));
        return List.of(
            "inputs: " + p.policies() + " policies and " + p.pods() + " pods were behind");
      }
    } catch (BackendException | RuntimeException e) {
      trusted = false;
      throw new IllegalStateException(e.getMessage(), e);
    }
    return repairInconsistency();
  }

  @Override
  public List<String> repairInconsistency() {
    if (!trusted || live == null) return List.of();
    Ruleset patched = live.ruleset();
    Ruleset fresh = live.fresh();
    List<String> differ = LiveRuleset.differences(patched, fresh);
    if (differ.isEmpty()) return differ;
    LiveRuleset rebuilt = LiveRuleset.of(live.node(), live.pods(), live.policies());
    live = null;
    try {
      write(RestorePlan.between(patched, fresh));
      live = rebuilt;
      // should the one-shot build disagree too, the next apply reads the kernel and starts over
      if (!LiveRuleset.differences(rebuilt.ruleset(), fresh).isEmpty()) trusted = false;
    } catch (BackendException e) {
      trusted = false;
      throw new IllegalStateException(e.getMessage(), e);
    }
    return differ;
  }

  /** The rules of INPUT/FORWARD/OUTPUT in each family's save, everybody's, in order. */
  private static Map<IpFamily, Map<String, List<String>>> liveBuiltins(
      Map<IpFamily, String> saves) {
    Map<IpFamily, Map<String, List<String>>> out = new EnumMap<>(IpFamily.class);
    for (IpFamily f : saves.keySet()) {
      Map<String, List<String>> chains = new HashMap<>();
      Ruleset.BUILTIN_CHAINS.forEach(c -> chains.put(c, new ArrayList<>()));
      for (String line : saves.get(f).split("\n")) {
        if (!line.startsWith("-A ")) continue;
        int space = line.indexOf(' ', 3);
        String chain = space < 0 ? line.substring(3) : line.substring(3, space);
        if (chains.containsKey(chain)) chains.get(chain).add(line);
      }
      out.put(f, chains);
    }
    return out;
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
