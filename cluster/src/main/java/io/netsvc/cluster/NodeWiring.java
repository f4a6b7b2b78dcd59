package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.ccm.NodeControllerDeps;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.NodeWatch;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Starts the node singleton on the controller role: the Node watch that drives every NodeActor's
 * cloud-controller stub and the CoreDNS NodeHosts keeper (off with {@code --disable=coredns}).
 */
final class NodeWiring {
  static final String NAMESPACE = "kube-system";

  private NodeWiring() {}

  static void init(
      ActorSystem<?> system, KubernetesClient client, CloudNodeApi api, Settings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    boolean nodeHosts = !settings.isDisabled(Component.COREDNS);
    Duration hostsResync = system.settings().config().getDuration("netsvc.node-hosts-resync");
    // Built lazily: only controller members run the singleton (and have a client).
    Behavior<NodeController.Command> behavior =
        Behaviors.setup(
            ctx ->
                NodeController.create(
                    new NodeControllerDeps(
                        (changed, gone) -> {
                          NodeWatch w = new NodeWatch(client, changed, gone);
                          return w.start().thenApply(v -> (AutoCloseable) w);
                        },
                        sharding,
                        api,
                        nodeHosts,
                        NAMESPACE,
                        hostsResync,
                        Duration.ofSeconds(2))));
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(behavior, "node-controller")
                .withSettings(
                    ClusterSingletonSettings.create(system)
                        .withRole(ServiceLbWiring.CONTROLLER_ROLE))
                .withStopMessage(new NodeController.Stop()));
  }
}
