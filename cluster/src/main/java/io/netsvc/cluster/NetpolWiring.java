package io.netsvc.cluster;

import io.netsvc.actors.Supervision;
import io.netsvc.actors.netpol.NamespaceActor;
import io.netsvc.actors.netpol.NetpolCache;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.actors.netpol.NetpolDeps;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.k8s.NetpolWatchHandler;
import io.netsvc.k8s.WatchSource;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Starts the NetworkPolicy controller on a member: NamespaceActor and NetworkPolicyActor entities
 * (controller role) and the watch singleton. With {@code --disable-network-policy} nothing starts
 * and rules already on nodes are left in place, as K3s documents.
 */
final class NetpolWiring {
  private NetpolWiring() {}

  /** {@code netsvc.netpol-resync-interval}: how often the level-triggered netpol resync runs. */
  static Duration resyncEvery(ActorSystem<?> system) {
    return system.settings().config().getDuration("netsvc.netpol-resync-interval");
  }

  /**
   * The member's NetworkPolicy caches, which rebuilt entities read: Namespaces, Pods and
   * NetworkPolicies watched from now until the member stops, whether or not this member hosts the
   * singleton.
   *
   * @param source the member's NetworkPolicy watch; null (no client, or NetworkPolicy disabled) for
   *     none
   */
  static NetpolCache cache(ActorSystem<?> system, WatchSource<NetpolWatchHandler> source) {
    if (source == null) return NetpolCache.NONE;
    InformerNetpolCache cache = new InformerNetpolCache(source);
    system.getWhenTerminated().thenRun(cache::close);
    return cache;
  }

  /**
   * @param source the member's NetworkPolicy watch (null on members without a client)
   * @param deps null on members without the controller role (they only route)
   */
  /** Returns the NetworkPolicy singleton's proxy. */
  static ActorRef<NetpolController.Command> init(
      ActorSystem<?> system, WatchSource<NetpolWatchHandler> source, NetpolDeps deps) {
    ClusterSharding sharding = ClusterSharding.get(system);
    NetpolCache cache = deps == null ? NetpolCache.NONE : deps.cache();
    sharding.init(
        Entity.of(
                NamespaceActor.TYPE_KEY,
                c -> Supervision.entity(NamespaceActor.create(c.getEntityId(), sharding, cache)))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    sharding.init(
        Entity.of(
                NetworkPolicyActor.TYPE_KEY,
                c -> Supervision.entity(NetworkPolicyActor.create(c.getEntityId(), deps)))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    return ControllerSingletons.init(
        system,
        "netpol-controller",
        () -> NetpolController.create(source, sharding, resyncEvery(system)),
        new NetpolController.Stop(),
        new NetpolController.Recheck());
  }
}
