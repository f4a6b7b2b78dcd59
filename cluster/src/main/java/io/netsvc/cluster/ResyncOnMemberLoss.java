package io.netsvc.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Tells a controller singleton to resync each time a member is removed from the cluster. The
 * entities that lived on the removed member start again elsewhere only when a message reaches them,
 * and whatever was sent to them between its crash and its removal is lost: without this, a Service
 * deleted in that window keeps its finalizer, and a policy deleted then stays on its nodes, until
 * the periodic resync a minute later. The resync goes out 1 s after the shard coordinator lets go
 * of the removed member's shards (it waits {@code pekko.cluster.down-removal-margin} after the
 * removal; sent earlier, the resync is still routed to the dead member), and once more 4 s later in
 * case that took longer.
 *
 * <p>A singleton that starts because the oldest member was removed does not see that removal; it
 * does not need to, since a starting controller hands every entity what it knows anyway.
 */
final class ResyncOnMemberLoss {
  private ResyncOnMemberLoss() {}

  private record Due() {}

  /** When to resync after a removal, for this member's cluster settings. */
  static List<Duration> after(Config config) {
    String margin = config.getString("pekko.cluster.down-removal-margin");
    Duration wait =
        margin.equals("off")
            ? config.getDuration("pekko.cluster.split-brain-resolver.stable-after")
            : config.getDuration("pekko.cluster.down-removal-margin");
    Duration first = wait.plusSeconds(1);
    return List.of(first, first.plusSeconds(4));
  }

  /** A child of the singleton {@code target}; tells it {@code resync} after each removal. */
  static <C> Behavior<Object> create(ActorRef<C> target, C resync) {
    return Behaviors.setup(
        ctx -> {
          List<Duration> after = after(ctx.getSystem().settings().config());
          Cluster.get(ctx.getSystem())
              .subscriptions()
              .tell(
                  Subscribe.create(
                      ctx.getSelf().<ClusterEvent.MemberRemoved>narrow(),
                      ClusterEvent.MemberRemoved.class));
          return Behaviors.withTimers(
              timers ->
                  Behaviors.receive(Object.class)
                      .onMessage(
                          ClusterEvent.MemberRemoved.class,
                          removed -> {
                            ctx.getLog()
                                .info(
                                    "{} removed: resyncing in {}",
                                    removed.member().address(),
                                    after);
                            for (int i = 0; i < after.size(); i++) {
                              timers.startSingleTimer(
                                  removed.member().uniqueAddress() + "#" + i,
                                  new Due(),
                                  after.get(i));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Due.class,
                          due -> {
                            target.tell(resync);
                            return Behaviors.same();
                          })
                      .build());
        });
  }
}
