package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.netpol.NamespaceActor;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.actors.netpol.NetpolDeps;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.k8s.NetpolWatch;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Starts the NetworkPolicy controller on a member: NamespaceActor and NetworkPolicyActor entities
 * (controller role) and the watch singleton. With {@code --disable-network-policy} nothing starts
 * and rules already on nodes are left in place, as K3s documents.
 */
final class NetpolWiring {
  private NetpolWiring() {}

  /**
   * @param deps null on members without the controller role (they only route)
   */
  static void init(ActorSystem<?> system, KubernetesClient client, NetpolDeps deps) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(NamespaceActor.TYPE_KEY, c -> NamespaceActor.create(c.getEntityId(), sharding))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    sharding.init(
        Entity.of(
                NetworkPolicyActor.TYPE_KEY, c -> NetworkPolicyActor.create(c.getEntityId(), deps))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    // Built lazily: only controller members run the singleton (and have a client).
    Behavior<NetpolController.Command> behavior =
        Behaviors.setup(
            ctx ->
                NetpolController.create(
                    sink -> {
                      NetpolWatch w = new NetpolWatch(client, sink);
                      return w.start().thenApply(v -> (AutoCloseable) w);
                    },
                    sharding));
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(behavior, "netpol-controller")
                .withSettings(
                    ClusterSingletonSettings.create(system)
                        .withRole(ServiceLbWiring.CONTROLLER_ROLE))
                .withStopMessage(new NetpolController.Stop()));
  }
}
