package io.netsvc.nodeagent.netpol;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import io.netsvc.nodeagent.netpol.model.NetpolNode;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.RenderCache;
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
 * The dataplane every backend shares: render the node's ruleset with pure code, plan the difference
 * to what was applied before, and hand only that to the backend — {@code ipset restore}, one {@code
 * iptables-restore --noflush} per family, {@code ipset restore} for removals. After a failure (or
 * at start) it no longer trusts its memory of the kernel and re-declares every chain of its own on
 * the next apply. Drift is found by comparing our chains' rule counts and our sets' sizes with the
 * kernel's listing, and repaired the same way.
 */
public final class RenderingDataplane implements NetpolDataplane {
  private final RulesBackend backend;
  private final Set<IpFamily> families;
  private final RenderCache cache = new RenderCache();
  private Ruleset applied = Ruleset.EMPTY;
  private boolean trusted;
  private NetpolNode lastNode;

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
    NetpolNode node =
        new NetpolNode(
            state.node(), families, List.copyOf(state.podCidrs()), List.of(), "30000:32767");
    lastNode = node;
    Ruleset wanted =
        RulesetRenderer.render(NodeRuleset.of(node, state.localPods(), state.policies()), cache);
    try {
      int bytes = write(wanted);
      Ruleset.Counts c = wanted.counts();
      return new Report(
          c.rules() + c.members() <= SHOWN ? wanted.dump() : summary(c),
          millisSince(t0),
          c.chains(),
          c.rules(),
          c.sets(),
          bytes,
          null);
    } catch (BackendException | RuntimeException e) {
      trusted = false;
      return new Report("", millisSince(t0), 0, 0, 0, 0, e.getMessage());
    }
  }

  /** Rulesets up to this many rules and set members are reported as text (for the route). */
  static final int SHOWN = 5_000;

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

  private int write(Ruleset wanted) throws BackendException {
    RestorePlan plan;
    if (trusted) {
      plan = RestorePlan.between(applied, wanted);
    } else {
      // one read of the kernel serves both: our chains and sets, and the built-in chains
      Map<IpFamily, String> saves = new EnumMap<>(IpFamily.class);
      for (IpFamily f : families) saves.put(f, backend.saveFilterTable(f));
      plan =
          RestorePlan.between(
              SavedState.parse(saves, backend.saveSets()), wanted, liveBuiltins(saves));
    }
    int bytes = 0;
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
    applied = wanted;
    trusted = true;
    return bytes;
  }

  @Override
  public boolean repairDrift() {
    if (!trusted || lastNode == null) return false;
    try {
      if (!drifted()) return false;
      trusted = false;
      write(applied);
      return true;
    } catch (BackendException e) {
      trusted = false;
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** True when one of our chains is missing or has another rule count, or a set differs in size. */
  private boolean drifted() throws BackendException {
    for (IpFamily f : families) {
      Map<String, Integer> live = ruleCounts(backend.saveFilterTable(f));
      for (Map.Entry<String, List<String>> e : applied.table(f).chains().entrySet()) {
        Integer n = live.get(e.getKey());
        if (Ruleset.BUILTIN_CHAINS.contains(e.getKey())) {
          if (n == null || n < e.getValue().size()) return true;
        } else if (n == null || n != e.getValue().size()) {
          return true;
        }
      }
    }
    Map<String, Integer> sets = setSizes(backend.saveSets());
    for (IpFamily f : families) {
      for (Map.Entry<String, Ruleset.IpSet> e : applied.table(f).sets().entrySet()) {
        Integer n = sets.get(e.getKey());
        if (n == null || n != e.getValue().members().size()) return true;
      }
    }
    return false;
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

  static Map<String, Integer> ruleCounts(String save) {
    Map<String, Integer> out = new HashMap<>();
    for (String line : save.split("\n")) {
      if (line.startsWith(":")) {
        int space = line.indexOf(' ');
        out.putIfAbsent(space < 0 ? line.substring(1) : line.substring(1, space), 0);
      } else if (line.startsWith("-A ")) {
        int space = line.indexOf(' ', 3);
        out.merge(space < 0 ? line.substring(3) : line.substring(3, space), 1, Integer::sum);
      }
    }
    return out;
  }

  static Map<String, Integer> setSizes(String save) {
    Map<String, Integer> out = new HashMap<>();
    for (String line : save.split("\n")) {
      String[] w = line.trim().split("\\s+");
      if (w.length >= 2 && w[0].equals("create")) out.putIfAbsent(w[1], 0);
      else if (w.length >= 3 && w[0].equals("add")) out.merge(w[1], 1, Integer::sum);
    }
    return out;
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
