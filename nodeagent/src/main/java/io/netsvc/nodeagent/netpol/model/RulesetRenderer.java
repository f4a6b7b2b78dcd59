package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.IpFamily;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@link NodeRuleset} → {@link Ruleset}: the complete netsvc part of one node's filter tables and
 * ipsets, per family. Pure and deterministic: equal inputs give equal rulesets, so {@link
 * RestorePlan} can diff two renders.
 *
 * <p>Per family: INPUT/FORWARD/OUTPUT jump to KUBE-ROUTER-INPUT/FORWARD/OUTPUT (rule 1) and accept
 * {@code 0x20000} (after kube-proxy's rules); the entry chains hold kube-router's head rules, five
 * jumps per local pod (INPUT -s; FORWARD -d, -s; OUTPUT -d, -s) and a last jump to
 * KUBE-NWPLCY-TAIL; each pod chain runs COMMON, then DEFAULT or its policies' chains per direction,
 * then NFLOG + REJECT what no chain marked, then trades {@code 0x10000} for {@code 0x20000}.
 */
public final class RulesetRenderer {
  private RulesetRenderer() {}

  public static Ruleset render(NodeRuleset n) {
    return render(n, null);
  }

  /**
   * As {@link #render(NodeRuleset)}, copying the chains and sets of policies that did not change
   * since the last render from {@code cache} (null: render everything).
   */
  public static Ruleset render(NodeRuleset n, RenderCache cache) {
    Map<IpFamily, Ruleset.Table> tables = new EnumMap<>(IpFamily.class);
    for (IpFamily f : n.node().families()) {
      TableBuilder t = new TableBuilder(f);
      StaticChains.head(n.node(), t);
      PodChains.render(n, t, cache);
      StaticChains.tail(n, t);
      PolicyChains.render(n, t, cache);
      tables.put(f, t.build());
    }
    if (cache != null) cache.sweep();
    return new Ruleset(tables);
  }
}
