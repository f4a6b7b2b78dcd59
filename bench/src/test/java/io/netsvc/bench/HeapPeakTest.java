package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

class HeapPeakTest {
  /** Held across a collection, so that the heap was at least this full just before it. */
  static byte[] held;

  @Test
  void thePeakCountsWhatWasHeldAtACollectionAndNeverExceedsTheHeapsLimit() {
    HeapPeak.reset();
    long before = HeapPeak.mib();
    held = new byte[256 << 20];
    held = null; // garbage now: only the collection's "before" still saw it
    System.gc();
    await().untilAsserted(() -> assertThat(HeapPeak.mib()).isGreaterThanOrEqualTo(before + 256));
    assertThat(HeapPeak.mib()).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() >> 20);
  }

  @Test
  void aResetForgetsTheEarlierPeak() {
    HeapPeak.reset();
    held = new byte[256 << 20];
    held = null;
    System.gc();
    await().until(() -> HeapPeak.mib() >= 256);
    HeapPeak.reset();
    assertThat(HeapPeak.mib()).isLessThan(256);
  }
}
