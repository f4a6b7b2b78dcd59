package io.netsvc.actors.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The resync's bookkeeping of one policy: a loss only after rounds without a confirmation. */
class HeldCheckTest {

  private static HeldCheck afterRounds(HeldCheck c, int rounds) {
    for (int i = 0; i < rounds; i++) c.nextRound(Set.of("n1"));
    return c;
  }

  @Test
  void aNodeThatConfirmsEveryRoundNeverMissesItsFragment() {
    HeldCheck c = new HeldCheck();
    c.sent("n1");
    for (int round = 0; round < 10; round++) {
      c.confirmed("n1");
      c.nextRound(Set.of("n1"));
      assertThat(c.missing("n1")).as("round %d", round).isFalse();
    }
  }

  @Test
  void aNodeSilentForThreeWholeRoundsAfterTheFragmentHasLostIt() {
    HeldCheck c = new HeldCheck();
    c.sent("n1");
    assertThat(afterRounds(c, 2).missing("n1")).isFalse();
    assertThat(afterRounds(c, 1).missing("n1")).isTrue();
    // sent again: in flight, not a loss
    c.sent("n1");
    assertThat(c.missing("n1")).isFalse();
    assertThat(c.recent("n1")).isTrue();
  }

  @Test
  void somethingSentThisRoundOrTheLastIsRecent() {
    HeldCheck c = new HeldCheck();
    assertThat(c.recent("n2")).isFalse();
    c.sent("n2");
    assertThat(afterRounds(c, 1).recent("n2")).isTrue();
    assertThat(afterRounds(c, 1).recent("n2")).isFalse();
  }
}
