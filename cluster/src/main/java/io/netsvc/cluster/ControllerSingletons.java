package io.netsvc.cluster;

import io.netsvc.actors.Supervision;
import io.netsvc.actors.fence.Fenced;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Cluster singletons on the controller role. */
final class ControllerSingletons {
  private ControllerSingletons() {}

  /**
   * A singleton without a resync on member loss ({@link #init(ActorSystem, String, Supplier,
   * Object, Object)}).
   */
  static <C> ActorRef<C> init(
      ActorSystem<?> system, String name, Supplier<Behavior<C>> behavior, C stop) {
    return init(system, name, behavior, stop, null);
  }

  /**
   * Runs the singleton {@code name} on the oldest controller member (a proxy elsewhere). The
   * behavior is built only where the singleton runs: other members have no client or deps. It
   * restarts with a backoff when it fails ({@link Supervision#singleton}): Pekko would stop it and
   * never start it again while this member lives. It acts only while this member holds the fence
   * ({@link MemberFence}): another netsvc cluster may be pointed at the same API.
   *
   * @param stop the message that stops it when it hands over to another member
   * @param resync the message that makes it resync, sent when a member is removed ({@link
   *     ResyncOnMemberLoss}); null for a singleton that has no entities to wake
   */
  static <C> ActorRef<C> init(
      ActorSystem<?> system, String name, Supplier<Behavior<C>> behavior, C stop, C resync) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Supervision.singleton(
                        Behaviors.<C>setup(
                            ctx -> {
                              if (resync != null) {
                                ctx.spawn(
                                    ResyncOnMemberLoss.create(ctx.getSelf(), resync),
                                    "member-loss");
                              }
                              return Fenced.create(
                                  name,
                                  MemberFence.get(system).fence(),
                                  () -> Supervision.singleton(behavior.get()),
                                  stop);
                            })),
                    name)
                .withSettings(
                    ClusterSingletonSettings.create(system)
                        .withRole(ServiceLbWiring.CONTROLLER_ROLE))
                .withStopMessage(stop));
  }
}
