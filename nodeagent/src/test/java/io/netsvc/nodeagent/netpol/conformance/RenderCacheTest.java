package io.netsvc.nodeagent.netpol.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.nodeagent.netpol.model.NetpolNode;
import io.netsvc.nodeagent.netpol.model.NodeRuleset;
import io.netsvc.nodeagent.netpol.model.RenderCache;
import io.netsvc.nodeagent.netpol.model.RulesetRenderer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rendering with the cache gives exactly what rendering from scratch gives, through every change of
 * every conformance case, while policies that did not change are copied, not rendered.
 */
class RenderCacheTest {
  @Test
  void cachedRendersEqualFreshOnesThroughEveryCase() {
    World world = new World();
    RenderCache cache = new RenderCache();
    Map<String, CompiledPolicy> kept = new HashMap<>();
    NetpolNode node = NetpolNode.of("node-1", List.of(World.podCidr("node-1")));
    int renders = 0;
    List<UpstreamCases.Case> cases = new ArrayList<>(UpstreamCases.all());
    cases.addAll(RegressionCases.all());
    for (UpstreamCases.Case c : cases) {
      world.reset();
      for (Step step : c.steps()) {
        if (step instanceof Step.Probe) continue;
        world.apply(step);
        // as an agent holds them: an unchanged policy keeps its object
        List<CompiledPolicy> policies = new ArrayList<>();
        for (CompiledPolicy p : world.compile()) {
          CompiledPolicy old = kept.get(p.key());
          CompiledPolicy use = p.equals(old) ? old : p;
          kept.put(p.key(), use);
          policies.add(use);
        }
        NodeRuleset n = NodeRuleset.of(node, world.pods(), policies);
        assertThat(RulesetRenderer.render(n, cache))
            .as("%s", c)
            .isEqualTo(RulesetRenderer.render(n));
        renders++;
      }
    }
    assertThat(renders).isGreaterThan(50);
    assertThat(cache.hits()).isGreaterThan(0);
  }
}
