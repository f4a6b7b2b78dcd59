package io.netsvc.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * What the memory benchmark measures with, in this JVM: the live heap's class histogram, and the
 * entities of one sharding type on the members (how many, and stopping them all).
 */
final class HeapProbe {
  private HeapProbe() {}

  /** The class histogram of the live heap; the diagnostic command runs a full GC first. */
  static HeapHistogram histogram() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    return HeapHistogram.parse(text);
  }

  /** Entities of sharding type {@code typeName} live on the members' regions. */
  static long entities(List<ActorSystem<?>> members, String typeName) {
    long n = 0;
    for (ActorSystem<?> system : members) {
      ActorRef region = region(system, typeName);
      try {
        ShardRegion.CurrentShardRegionState s =
            (ShardRegion.CurrentShardRegionState)
                Patterns.ask(
                        region, ShardRegion.getShardRegionStateInstance(), Duration.ofSeconds(30))
                    .toCompletableFuture()
                    .get();
        for (ShardRegion.ShardState shard : s.getShards()) n += shard.getEntityIds().size();
      } catch (Exception e) {
        // a region that has stopped holds no entities
      }
    }
    return n;
  }

  /**
   * Stops every entity of sharding type {@code typeName}: each member's region is told to shut down
   * gracefully, which hands its shards off and so stops their entities. With no other region of
   * that type left, the coordinator allocates the shards nowhere, and messages for them wait in the
   * region's buffer instead of starting new entities. Returns once no entity is left (or after
   * {@code max}), without waiting for the region itself to stop: it stops only once that buffer is
   * empty, which never happens while something keeps sending.
   *
   * @return whether all entities stopped within {@code max}
   */
  static boolean stopAll(List<ActorSystem<?>> members, String typeName, Duration max)
      throws InterruptedException {
    for (ActorSystem<?> system : members) {
      region(system, typeName).tell(ShardRegion.gracefulShutdownInstance(), ActorRef.noSender());
    }
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (entities(members, typeName) == 0) return true;
      Thread.sleep(200);
    }
    return false;
  }

  private static ActorRef region(ActorSystem<?> system, String typeName) {
    return ClusterSharding.get(Adapter.toClassic(system)).shardRegion(typeName);
  }
}
