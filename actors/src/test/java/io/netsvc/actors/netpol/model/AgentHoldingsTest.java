package io.netsvc.actors.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentHoldingsTest {
  @Test
  void aFragmentTheAgentStillLacksAtTheNextCheckGoesAgain() {
    var first = AgentHoldings.check(Map.of("ns/p", 7L), Set.of(), Map.of("ns/p", 6L), Map.of());
    assertThat(first.resend()).as("the report may only lag behind the send").isEmpty();

    var second =
        AgentHoldings.check(Map.of("ns/p", 7L), Set.of(), Map.of("ns/p", 6L), first.pending());
    assertThat(second.resend()).containsExactly("ns/p");
  }

  @Test
  void aFragmentTheAgentAppliedMeanwhileIsLeftAlone() {
    var first = AgentHoldings.check(Map.of("ns/p", 7L), Set.of(), Map.of(), Map.of());
    var second =
        AgentHoldings.check(Map.of("ns/p", 7L), Set.of(), Map.of("ns/p", 7L), first.pending());
    assertThat(second.resend()).isEmpty();
    assertThat(second.pending()).isEmpty();
  }

  @Test
  void aFragmentReplacedSinceTheLastCheckWaitsAnotherCheck() {
    var first = AgentHoldings.check(Map.of("ns/p", 7L), Set.of(), Map.of("ns/p", 6L), Map.of());
    var second =
        AgentHoldings.check(Map.of("ns/p", 8L), Set.of(), Map.of("ns/p", 6L), first.pending());
    assertThat(second.resend()).isEmpty();
    assertThat(second.pending()).containsEntry("ns/p", 8L);
  }

  @Test
  void aRemovalTheAgentStillHoldsAtTheNextCheckGoesAgain() {
    var first = AgentHoldings.check(Map.of(), Set.of("ns/gone"), Map.of("ns/gone", 3L), Map.of());
    assertThat(first.resend()).isEmpty();
    var second =
        AgentHoldings.check(Map.of(), Set.of("ns/gone"), Map.of("ns/gone", 3L), first.pending());
    assertThat(second.resend()).containsExactly("ns/gone");

    var applied = AgentHoldings.check(Map.of(), Set.of("ns/gone"), Map.of(), second.pending());
    assertThat(applied.resend()).isEmpty();
    assertThat(applied.pending()).isEmpty();
  }
}
