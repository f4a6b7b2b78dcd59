package io.netsvc.cluster;

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
 * the periodic resync a minute later. The resync goes out {@link #AFTER} the removal, so that
 * sharding has dropped the removed member's shards (the coordinator and the regions handle the same
 * event), and once more in case that took longer.
 */
final class ResyncOnMemberLoss {
  static final List<Duration> AFTER = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));

  private ResyncOnMemberLoss() {}

  private record Due() {}

  /** A child of the singleton {@code target}; tells it {@code resync} after each removal. */
  static <C> Behavior<Object> create(ActorRef<C> target, C resync) {
    return Behaviors.setup(
        ctx -> {
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
                                    AFTER);
                            for (int i = 0; i < AFTER.size(); i++) {
                              timers.startSingleTimer(
                                  removed.member().uniqueAddress() + "#" + i,
                                  new Due(),
                                  AFTER.get(i));
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
