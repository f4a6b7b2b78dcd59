package io.netsvc.cluster;

import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.ccm.NodeControllerDeps;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.servicelb.ServiceLbCache;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

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
   * @param source the member's Node watch (null on members without a client: they only route)
   * @param cache the member's informer caches, which a starting NodeActor's port ledger recovers
   *     the deployed holders from
   */
  static void init(
      ActorSystem<?> system,
      WatchSource<WatchHandler<NodeInfo>> source,
      CloudNodeApi api,
      Settings settings,
      ServiceLbCache cache) {
    ClusterSharding sharding = ClusterSharding.get(system);
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(sharding, cache),
            CloudNodeKeeper.factory(api, !settings.disableCloudController()),
            NodeNetpol.factory(sharding),
            Duration.ofSeconds(2));
    sharding.init(
        Entity.of(NodeActor.TYPE_KEY, c -> NodeActor.create(c.getEntityId(), parts))
            .withRole(ServiceLbWiring.CONTROLLER_ROLE));
    NodeControllerDeps deps =
        new NodeControllerDeps(
            source,
            sharding,
            api,
            !settings.isDisabled(Component.COREDNS),
            NAMESPACE,
            system.settings().config().getDuration("netsvc.node-hosts-resync"),
            Duration.ofSeconds(2));
    ControllerSingletons.init(
        system, "node-controller", () -> NodeController.create(deps), new NodeController.Stop());
  }

  /**
   * TEMPORARY, until the member's informer-backed ServiceLbCache is wired in here: synced and
   * empty, so a starting ledger recovers nothing and answers claims at once, as before.
   */
  static final ServiceLbCache TEMPORARY_EMPTY_CACHE =
      new ServiceLbCache() {
        @Override
        public boolean synced() {
          return true;
        }

        @Override
        public Optional<ServiceInfo> service(String key) {
          return Optional.empty();
        }

        @Override
        public List<NodeInfo> nodes() {
          return List.of();
        }

        @Override
        public List<PodInfo> svclbPods(String serviceKey) {
          return List.of();
        }

        @Override
        public List<EndpointSliceInfo> endpointSlices(String serviceKey) {
          return List.of();
        }

        @Override
        public List<SvclbDaemonSetInfo> daemonSets() {
          return List.of();
        }

        @Override
        public List<PodInfo> hostPortPodsOn(String node) {
          return List.of();
        }
      };
}
