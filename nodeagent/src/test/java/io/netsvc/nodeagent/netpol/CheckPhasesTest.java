package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where in their intervals the checks of nodes with similar names first fall due. */
class CheckPhasesTest {
  static final Duration VERIFY = Duration.ofSeconds(30);
  static final Duration CHECK = Duration.ofMinutes(5);

  @Test
  void tenNodesOfASimFirstVerifyAtTenMomentsOfTheInterval() {
    List<Long> at = new ArrayList<>();
    IntStream.rangeClosed(1, 10)
        .forEach(i -> at.add(CheckPhases.firstVerify("node-" + i, VERIFY).toMillis()));
    assertThat(at).allSatisfy(ms -> assertThat(ms).isBetween(1L, VERIFY.toMillis()));
    // names that differ in one character are still spread over the interval, not bunched
    List<Long> sorted = at.stream().sorted().toList();
    assertThat(sorted.get(9) - sorted.get(0)).isGreaterThan(VERIFY.toMillis() / 2);
    assertThat(sorted).doesNotHaveDuplicates();
  }

  @Test
  void theConsistencyCheckIsHalfADriftIntervalFromEveryDriftCheck() {
    for (int i = 1; i <= 50; i++) {
      String node = "worker-" + i;
      long verify = CheckPhases.firstVerify(node, VERIFY).toMillis();
      long check = CheckPhases.firstCheck(node, VERIFY, CHECK).toMillis();
      assertThat(check).isBetween(1L, CHECK.toMillis());
      assertThat(Math.floorMod(check - verify, VERIFY.toMillis())).isEqualTo(15_000L);
    }
    // intervals of a test: the first runs within them all the same
    assertThat(CheckPhases.firstVerify("n", Duration.ofMillis(100)))
        .isBetween(Duration.ofMillis(1), Duration.ofMillis(100));
    assertThat(CheckPhases.firstCheck("n", Duration.ofHours(1), Duration.ofMillis(250)))
        .isBetween(Duration.ofMillis(1), Duration.ofMillis(250));
  }
}
