package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes per cached object from what went away with a kind's informer and with its records. */
class CacheTableTest {
  @Test
  void perKindInformerRecordsAndTotalPerObject() {
    // records are per cached object: 10 svclb pods' records weigh on each of the 1,000 pods
    String table =
        CacheTable.table(
            List.of(
                new CacheTable.Sample("pods", 1000, 3_000_000, 10, 500_000),
                new CacheTable.Sample("networkpolicies", 200, 409_600, 200, 102_400)),
            10_000);

    assertThat(table)
        .contains("| pods | 1000 | 2929.7 | 3000 | 10 | 488.3 | 500 | 3500 | - |")
        .contains("| networkpolicies | 200 | 400.0 | 2048 | 200 | 100.0 | 512 | 2560 | - |")
        .contains("| all | 1200 | 3329.7 | 2841 | 210 | 588.3 | 502 | 3343 | - |");
  }

  @Test
  void bytesWithinTwiceTheNoiseAreFlaggedNotTrusted() {
    // 15 KiB went with the informer and 30 KiB moved with nothing dropped: not a measurement
    String table =
        CacheTable.table(
            List.of(new CacheTable.Sample("namespaces", 30, 15_000, 30, 61_000)), -30_000);

    assertThat(table)
        .contains(
            "| namespaces | 30 | 14.6 | ~500 | 30 | 59.6 | 2033 | 2533 | within noise: informer |");
  }

  @Test
  void aHeapThatGrewIsNoiseAndAKindWithoutRecordsOrObjectsHasNoFigure() {
    String table =
        CacheTable.table(
            List.of(
                new CacheTable.Sample("nodes", 100, -4_096, 0, 0),
                new CacheTable.Sample("daemonsets", 0, 0, 0, 0)),
            1_000);

    assertThat(table)
        .contains("| nodes | 100 | -4.0 | ~-41 | 0 | 0.0 | - | ~-41 | within noise: informer |")
        .contains("| daemonsets | 0 | 0.0 | - | 0 | 0.0 | - | - | within noise: informer |");
  }

  @Test
  void noiseIsTwiceItsSizeEitherWay() {
    assertThat(CacheTable.noisy(2_000, 1_000)).isTrue();
    assertThat(CacheTable.noisy(2_001, -1_000)).isFalse();
    assertThat(CacheTable.noisy(-1, 0)).isTrue();
  }
}
