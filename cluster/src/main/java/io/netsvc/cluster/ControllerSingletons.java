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
   * Runs the singleton {@code name} on the oldest controller member (a proxy elsewhere). The
   * behavior is built only where the singleton runs: other members have no client or deps. It
   * restarts with a backoff when it fails ({@link Supervision#singleton}): Pekko would stop it and
   * never start it again while this member lives. It acts only while this member holds the fence
   * ({@link MemberFence}): another netsvc cluster may be pointed at the same API.
   *
   * @param stop the message that stops it when it hands over to another member
   */
  static <C> ActorRef<C> init(
      ActorSystem<?> system, String name, Supplier<Behavior<C>> behavior, C stop) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Supervision.singleton(
                        Behaviors.<C>setup(
                            ctx ->
                                Fenced.create(
                                    name,
                                    MemberFence.get(system).fence(),
                                    () -> Supervision.singleton(behavior.get()),
                                    stop))),
                    name)
                .withSettings(
                    ClusterSingletonSettings.create(system)
                        .withRole(ServiceLbWiring.CONTROLLER_ROLE))
                .withStopMessage(stop));
  }
}
