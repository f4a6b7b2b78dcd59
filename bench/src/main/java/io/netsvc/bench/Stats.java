package io.netsvc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Collection;

/** Percentiles and peak heap for the benchmarks. */
final class Stats {
  private Stats() {}

  static double percentile(Collection<Long> nanos, double p) {
    long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
    if (a.length == 0) return Double.NaN;
    Arrays.sort(a);
    int i = (int) Math.ceil(p / 100.0 * a.length) - 1;
    return a[Math.max(0, Math.min(a.length - 1, i))] / 1e6;
  }

  static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks since the last reset, in MiB (an upper bound). */
  static long peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
    }
    return sum >> 20;
  }
}
