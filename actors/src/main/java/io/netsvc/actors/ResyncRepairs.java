package io.netsvc.actors;

/**
 * Counts what a periodic level-triggered resync found wrong and repaired in an entity (a lost
 * message, a subscription a rebuilt entity forgot). In normal operation nothing is counted.
 */
@FunctionalInterface
public interface ResyncRepairs {
  /** One repair in an entity of {@code kind} (e.g. {@code service}, {@code pool}). */
  void repaired(String kind);

  ResyncRepairs NONE = kind -> {};
}
