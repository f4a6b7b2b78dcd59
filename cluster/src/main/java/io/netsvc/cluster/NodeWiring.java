package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.NodeWatch;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Starts the node entities and the node singleton on the controller role. Each NodeActor gets its
 * parts from the features here: ServiceLB's port ledger, the cloud-controller stub (off with {@code
 * --disable-cloud-controller}) and the NetworkPolicy fragments. The singleton is the Node watch
 * that drives every NodeActor's cloud-controller stub and the CoreDNS NodeHosts keeper (off with
 * {@code --disable=coredns}).
 */
final class NodeWiring {
  static final String NAMESPACE = "kube-system";

  private NodeWiring() {}

  /**
   * @param client null on members without a Kubernetes client (they only route)
   * @param api the cloud-node writer; null where {@code client} is
   */
  static void init(
      ActorSystem<?> system, KubernetesClient client, CloudNodeApi api, Settings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(sharding),
            CloudNodeKeeper.factory(api, !settings.disableCloudController()),
            NodeNetpol.factory(sharding),
            Duration.ofSeconds(2));
    sharding.init(
        Entity.of(NodeActor.TYPE_KEY, c -> NodeActor.create(c.getEntityId(), parts))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    NodeController.Settings s =
        new NodeController.Settings(
            !settings.isDisabled(Component.COREDNS),
            NAMESPACE,
            system.settings().config().getDuration("netsvc.node-hosts-resync"),
            Duration.ofSeconds(2));
    // Built lazily: only controller members run the singleton (and have a client).
    Behavior<NodeController.Command> behavior =
        Behaviors.setup(
            ctx ->
                NodeController.create(
                    (changed, gone) -> {
                      NodeWatch w = new NodeWatch(client, changed, gone);
                      return w.start().thenApply(v -> (AutoCloseable) w);
                    },
                    sharding,
                    api,
                    s));
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(behavior, "node-controller")
                .withSettings(
                    ClusterSingletonSettings.create(system)
                        .withRole(ServiceLbWiring.CONTROLLER_ROLE))
                .withStopMessage(new NodeController.Stop()));
  }
}
