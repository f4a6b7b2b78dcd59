package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How to get the kernel from one {@link Ruleset} to another, writing only the difference. Apply in
 * this order: {@link #ipsetBefore()} ({@code ipset -exist restore}), then per family {@link
 * #iptables(IpFamily)} ({@code iptables-restore --noflush} / {@code ip6tables-restore --noflush}),
 * then {@link #ipsetAfter()}. Each iptables text is one atomic transaction of the filter table that
 * touches only chains whose rules changed: new chains are declared and filled, changed ones edited
 * in place ({@code -D}/{@code -I}) or, when shorter, declared again (which flushes them under
 * {@code --noflush}) and refilled, removed ones flushed and deleted after every jump to them is
 * gone; nobody else's chain is declared, so nothing else is flushed. Empty strings mean "no call
 * needed".
 *
 * @param iptables per family the restore text, "" when that family needs no call
 * @param stats sizes, for logs and metrics
 */
public record RestorePlan(
    Map<IpFamily, String> iptables, String ipsetBefore, String ipsetAfter, Stats stats) {

  /**
   * What the plan writes.
   *
   * @param ruleLines {@code -A}/{@code -I}/{@code -D} lines over both families
   * @param setLines ipset lines in both scripts
   */
  public record Stats(
      int chainsCreated,
      int chainsRewritten,
      int chainsEdited,
      int chainsRemoved,
      int ruleLines,
      int setLines) {}

  public RestorePlan {
    Map<IpFamily, String> m = new EnumMap<>(IpFamily.class);
    m.putAll(iptables);
    iptables = Collections.unmodifiableMap(m);
  }

  /** The restore text of one family, "" when it needs no call. */
  public String iptables(IpFamily f) {
    return iptables.getOrDefault(f, "");
  }

  /** True when the kernel already holds {@code wanted}: no tool needs to run. */
  public boolean isEmpty() {
    return ipsetBefore.isEmpty()
        && ipsetAfter.isEmpty()
        && iptables.values().stream().allMatch(String::isEmpty);
  }

  /**
   * The plan when {@code applied} is exactly what the kernel holds of ours, built-in chains
   * included (our own rules there, in order). Use {@link #between(Ruleset, Ruleset, Map)} with the
   * live listing after a start and on periodic checks.
   */
  public static RestorePlan between(Ruleset applied, Ruleset wanted) {
    return between(applied, wanted, Map.of());
  }

  /**
   * @param liveBuiltins per family, the current rules of INPUT/FORWARD/OUTPUT as listed by {@code
   *     iptables -S <chain>} or {@code iptables-save} (every component's, in order; a leading
   *     {@code -A <chain>} is ignored). A family present here has its built-in rules checked
   *     against the live listing (position, duplicates, stale copies); a family absent here is
   *     judged from {@code applied}.
   */
  public static RestorePlan between(
      Ruleset applied, Ruleset wanted, Map<IpFamily, Map<String, List<String>>> liveBuiltins) {
    Set<IpFamily> tail = EnumSet.noneOf(IpFamily.class);
    for (IpFamily f : applied.tables().keySet()) {
      if (applied.table(f).chains().containsKey(KubeRouterNames.TAIL_CHAIN)) tail.add(f);
    }
    return plan(applied, wanted, liveBuiltins, tail);
  }

  /**
   * The plan of a patch: {@code before} and {@code after} hold only the chains and sets one change
   * touched (a chain or set absent from one side does not exist there); everything else of the node
   * stays as the kernel holds it and is not looked at, so the plan costs O(change). Built-in chains
   * are never part of a patch.
   *
   * @param tailInKernel the families whose tail chain the kernel holds already (the local-pods set
   *     then gains members only after the restore, see {@link IpsetScript})
   */
  public static RestorePlan patch(Ruleset before, Ruleset after, Set<IpFamily> tailInKernel) {
    return plan(before, after, Map.of(), tailInKernel);
  }

  private static RestorePlan plan(
      Ruleset applied,
      Ruleset wanted,
      Map<IpFamily, Map<String, List<String>>> liveBuiltins,
      Set<IpFamily> tailInKernel) {
    Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
    families.addAll(applied.tables().keySet());
    families.addAll(wanted.tables().keySet());
    Map<IpFamily, String> texts = new EnumMap<>(IpFamily.class);
    int[] stats = new int[5];
    Map<String, Ruleset.IpSet> setsA = new TreeMap<>();
    Map<String, Ruleset.IpSet> setsW = new TreeMap<>();
    for (IpFamily f : families) {
      Ruleset.Table a = applied.table(f);
      Ruleset.Table w = wanted.table(f);
      texts.put(f, familyText(a, w, liveBuiltins.get(f), stats));
      setsA.putAll(a.sets());
      setsW.putAll(w.sets());
    }
    Set<String> late = new java.util.HashSet<>();
    for (IpFamily f : tailInKernel) late.add(Names.localPodsSet(f));
    IpsetScript.Scripts sets = IpsetScript.plan(setsA, setsW, late);
    Stats s = new Stats(stats[0], stats[1], stats[2], stats[3], stats[4], sets.lines());
    return new RestorePlan(texts, sets.before(), sets.after(), s);
  }

  private static String familyText(
      Ruleset.Table a, Ruleset.Table w, Map<String, List<String>> live, int[] stats) {
    List<String> declare = new ArrayList<>();
    List<String> fill = new ArrayList<>();
    List<String> edits = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : w.chains().entrySet()) {
      String name = e.getKey();
      List<String> rules = e.getValue();
      List<String> old = a.chains().get(name);
      if (Ruleset.BUILTIN_CHAINS.contains(name) || rules.equals(old)) continue;
      List<String> edit = old == null ? null : ChainEdits.edit(name, old, rules);
      if (edit != null) {
        edits.addAll(edit);
        stats[2]++;
        continue;
      }
      declare.add(":" + name + " - [0:0]"); // creates it, or flushes it under --noflush
      rules.forEach(r -> fill.add("-A " + name + " " + r));
      stats[old == null ? 0 : 1]++;
    }
    List<String> builtins = new ArrayList<>();
    for (String b : StaticChains.BUILTINS) {
      List<String> current = live != null ? live.getOrDefault(b, List.of()) : a.chain(b);
      builtins.addAll(BuiltinEdits.plan(b, current, w.chain(b), live != null));
    }
    List<String> flush = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    for (String name : a.chains().keySet()) {
      if (Ruleset.BUILTIN_CHAINS.contains(name) || w.chains().containsKey(name)) continue;
      flush.add("-F " + name);
      delete.add("-X " + name);
      stats[3]++;
    }
    stats[4] += fill.size() + edits.size() + builtins.size();
    if (declare.size() + fill.size() + edits.size() + builtins.size() + flush.size() == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder("*filter\n");
    for (List<String> part : List.of(declare, fill, edits, builtins, flush, delete)) {
      part.forEach(l -> sb.append(l).append('\n'));
    }
    return sb.append("COMMIT\n").toString();
  }
}
