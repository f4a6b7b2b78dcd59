package io.netsvc.actors.netpol;

import io.netsvc.k8s.EventSink;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the NetworkPolicy entities of one member need: sharding, the event writer, where the time of
 * each policy compilation is recorded (nanoseconds; the {@code /metrics} histogram), the member's
 * informer caches they rebuild from, the counter of repairs the level-triggered resync made, and
 * how often it runs, and the clock (nanoseconds) that paces compiles.
 */
public record NetpolDeps(
    ClusterSharding sharding,
    EventSink events,
    LongConsumer compileNanos,
    NetpolCache cache,
    Runnable repaired,
    Duration resyncEvery,
    LongSupplier clock) {

  public NetpolDeps(
      ClusterSharding sharding,
      EventSink events,
      LongConsumer compileNanos,
      NetpolCache cache,
      Runnable repaired,
      Duration resyncEvery) {
    this(sharding, events, compileNanos, cache, repaired, resyncEvery, System::nanoTime);
  }

  /** Without a cache, repairs uncounted, resync every minute (tests of a single actor). */
  public NetpolDeps(ClusterSharding sharding, EventSink events, LongConsumer compileNanos) {
    this(sharding, events, compileNanos, NetpolCache.NONE, () -> {}, Duration.ofSeconds(60));
  }

  /** The same with another clock (tests that decide how much time passes). */
  public NetpolDeps withClock(LongSupplier clock) {
    return new NetpolDeps(sharding, events, compileNanos, cache, repaired, resyncEvery, clock);
  }
}
