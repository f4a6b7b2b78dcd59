package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.nodeagent.netpol.CheckOutcome.Verdict;
import org.junit.jupiter.api.Test;

class CheckOutcomeTest {
  @Test
  void aResultIsVoidOnceTheDataplaneWasUsedSinceTheCheckStarted() {
    // a drift or an error seen while an apply changed the kernel says nothing
    assertThat(CheckOutcome.of(4, 5, false, true, false)).isEqualTo(Verdict.VOID);
    assertThat(CheckOutcome.of(4, 5, false, false, true)).isEqualTo(Verdict.VOID);
    assertThat(CheckOutcome.of(4, 5, true, false, false)).isEqualTo(Verdict.VOID);
    // nor while a job runs (a job that started after the check did)
    assertThat(CheckOutcome.of(4, 4, true, true, false)).isEqualTo(Verdict.VOID);
  }

  @Test
  void anUndisturbedResultIsTakenAsItIs() {
    assertThat(CheckOutcome.of(4, 4, false, true, false)).isEqualTo(Verdict.REPAIR);
    assertThat(CheckOutcome.of(4, 4, false, false, false)).isEqualTo(Verdict.AGREES);
    assertThat(CheckOutcome.of(4, 4, false, false, true)).isEqualTo(Verdict.FAILED);
  }

  @Test
  void afterThreeVoidResultsInARowTheNextCheckHoldsTheAgent() {
    assertThat(CheckOutcome.holds(0)).isFalse();
    assertThat(CheckOutcome.holds(2)).isFalse();
    assertThat(CheckOutcome.holds(3)).isTrue();
  }
}
