package io.netsvc.cluster;

import io.netsvc.actors.ccm.NodeController;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Starts the node singleton on the controller role: the Node watch that drives every NodeActor's
 * cloud-controller stub and the CoreDNS NodeHosts keeper (off with {@code --disable=coredns}).
 */
final class NodeWiring {
  static final String NAMESPACE = "kube-system";

  private NodeWiring() {}

  /**
   * @param source the member's Node watch (null on members without a client: they only route)
   */
  static void init(
      ActorSystem<?> system,
      WatchSource<WatchHandler<NodeInfo>> source,
      CloudNodeApi api,
      Settings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    NodeController.Settings s =
        new NodeController.Settings(
            !settings.isDisabled(Component.COREDNS),
            NAMESPACE,
            system.settings().config().getDuration("netsvc.node-hosts-resync"),
            Duration.ofSeconds(2));
    ControllerSingletons.init(
        system,
        "node-controller",
        () -> NodeController.create(source, sharding, api, s),
        new NodeController.Stop());
  }
}
