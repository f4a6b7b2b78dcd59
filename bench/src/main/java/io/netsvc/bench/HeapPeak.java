package io.netsvc.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM has used at once: the heap's total just before each collection (when it is
 * fullest), or now. The pools' own peaks cannot be summed for this: each pool peaks at a different
 * moment, and their sum can exceed {@code -Xmx} (a 2 GiB run showed 2,803 MiB).
 */
final class HeapPeak {
  private HeapPeak() {}

  private static final AtomicLong PEAK = new AtomicLong();
  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());
  private static boolean listening;

  /** Starts listening to the collections (once per JVM); call before the work to measure. */
  static synchronized void start() {
    if (listening) return;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(
            (n, hb) -> collected(n),
            n ->
                GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    n.getType()),
            null);
      }
    }
    listening = true;
  }

  /** Forgets the peak so far (after a collection, so the last phase's garbage is not counted). */
  static void reset() {
    start();
    System.gc();
    PEAK.set(now());
  }

  /** The peak since the last {@link #reset}, in MiB. */
  static long mib() {
    return Math.max(PEAK.get(), now()) >> 20;
  }

  private static void collected(Notification n) {
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long before = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
      if (HEAP_POOLS.contains(e.getKey())) before += e.getValue().getUsed();
    }
    PEAK.accumulateAndGet(before, Math::max);
  }

  private static long now() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
