package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanSweepTest {
  @Test
  void aDaemonSetIsAnOrphanOnlyWhenNoServiceWantsItOnTwoChecksInARow() {
    OrphanSweep sweep = new OrphanSweep();
    assertThat(sweep.confirmed(Set.of("a", "b"), Set.of("a"))).isEmpty();
    assertThat(sweep.confirmed(Set.of("a", "b", "c"), Set.of("a"))).containsExactly("b");
    // c was seen once; by now its Service is known
    assertThat(sweep.confirmed(Set.of("a", "c"), Set.of("a", "c"))).isEmpty();
  }

  @Test
  void aDaemonSetWantedAgainBetweenChecksIsNotDeleted() {
    OrphanSweep sweep = new OrphanSweep();
    sweep.confirmed(Set.of("x"), Set.of());
    assertThat(sweep.confirmed(Set.of("x"), Set.of("x"))).isEmpty();
    assertThat(sweep.confirmed(Set.of("x"), Set.of())).isEmpty();
  }
}
