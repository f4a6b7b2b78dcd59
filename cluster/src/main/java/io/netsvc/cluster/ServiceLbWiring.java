package io.netsvc.cluster;

import io.netsvc.actors.servicelb.NodeActor;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.actors.servicelb.ServiceLbDeps;
import io.netsvc.actors.servicelb.ServiceLbDisabled;
import io.netsvc.actors.servicelb.WatchSource;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Starts ServiceLB on a member: the sharded entities (on the controller role; other members get
 * proxies) and the controller singleton. Must run on every member with the same settings.
 */
public final class ServiceLbWiring {
  public static final String CONTROLLER_ROLE = "controller";
  public static final String NODE_ROLE = "node";

  private ServiceLbWiring() {}

  /**
   * @param deps null on members without the controller role (they only route)
   * @param enabled false for {@code --disable=servicelb}: the singleton cleans up instead
   * @param nodeDeps what NodeActors need (cloud-node writer and switch)
   */
  public static ActorRef<ServiceLbController.Command> init(
      ActorSystem<?> system,
      ServiceLbDeps deps,
      WatchSource source,
      boolean enabled,
      NodeActor.Deps nodeDeps) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(ServiceActor.TYPE_KEY, c -> ServiceActor.create(c.getEntityId(), deps))
            .withRole(CONTROLLER_ROLE));
    sharding.init(
        Entity.of(NodeActor.TYPE_KEY, c -> NodeActor.create(c.getEntityId(), sharding, nodeDeps))
            .withRole(CONTROLLER_ROLE));
    sharding.init(
        Entity.of(PoolActor.TYPE_KEY, c -> PoolActor.create(c.getEntityId(), sharding))
            .withRole(CONTROLLER_ROLE));
    Duration resync = system.settings().config().getDuration("netsvc.resync-interval");
    // Built lazily: only controller members ever run the singleton (and have deps).
    Behavior<ServiceLbController.Command> behavior =
        Behaviors.setup(
            ctx ->
                enabled
                    ? ServiceLbController.create(deps, source, resync)
                    : ServiceLbDisabled.create(deps.api(), deps.render().lbNamespace()));
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(behavior, "servicelb-controller")
                .withSettings(ClusterSingletonSettings.create(system).withRole(CONTROLLER_ROLE))
                .withStopMessage(new ServiceLbController.Stop()));
  }
}
