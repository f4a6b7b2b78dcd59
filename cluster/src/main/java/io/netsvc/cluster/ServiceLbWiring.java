package io.netsvc.cluster;

import io.netsvc.actors.Passivation;
import io.netsvc.actors.Supervision;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.actors.servicelb.ServiceLbDeps;
import io.netsvc.actors.servicelb.ServiceLbDisabled;
import io.netsvc.k8s.ServiceLbWatchHandler;
import io.netsvc.k8s.WatchSource;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

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
   * @param source the member's ServiceLB watch (null where deps is)
   * @param enabled false for {@code --disable=servicelb}: the singleton cleans up instead
   */
  public static ActorRef<ServiceLbController.Command> init(
      ActorSystem<?> system,
      ServiceLbDeps deps,
      WatchSource<ServiceLbWatchHandler> source,
      boolean enabled) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Duration idle = system.settings().config().getDuration("netsvc.entity-idle-timeout");
    sharding.init(
        Entity.of(
                ServiceActor.TYPE_KEY,
                c ->
                    Supervision.entity(
                        ServiceActor.create(c.getEntityId(), deps, Passivation.Idle.of(c, idle))))
            .withRole(CONTROLLER_ROLE));
    sharding.init(
        Entity.of(
                PoolActor.TYPE_KEY,
                c -> Supervision.entity(PoolActor.create(c.getEntityId(), deps)))
            .withRole(CONTROLLER_ROLE));
    Duration resync = system.settings().config().getDuration("netsvc.resync-interval");
    ActorRef<ServiceLbController.Command> proxy =
        ControllerSingletons.init(
            system,
            "servicelb-controller",
            () ->
                enabled
                    ? ServiceLbController.create(deps, source, resync)
                    : ServiceLbDisabled.create(deps.api(), deps.render().lbNamespace()),
            new ServiceLbController.Stop(),
            new ServiceLbController.ResyncAll());
    return proxy;
  }
}
