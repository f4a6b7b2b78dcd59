package io.netsvc.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles for the benchmarks. */
final class Stats {
  private Stats() {}

  static double percentile(Collection<Long> nanos, double p) {
    long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
    if (a.length == 0) return Double.NaN;
    Arrays.sort(a);
    int i = (int) Math.ceil(p / 100.0 * a.length) - 1;
    return a[Math.max(0, Math.min(a.length - 1, i))] / 1e6;
  }
}
