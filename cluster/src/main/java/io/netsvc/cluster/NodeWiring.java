package io.netsvc.cluster;

import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.Supervision;
import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.ccm.NodeControllerDeps;
import io.netsvc.actors.netpol.NetpolCache;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.servicelb.ServiceLbCache;
import io.netsvc.config.AgentCheck;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
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

  /** Which agents the node entities believe; a WARN line at start when every one is. */
  private static NodeParts.Agents agents(
      ActorSystem<?> system, Settings settings, ServiceLbCache cache) {
    AgentCheck check = settings.cluster().agentCheck();
    if (check == AgentCheck.OFF) {
      system
          .log()
          .warn(
              "agent registrations are not checked (--agent-check=off): any member may speak for"
                  + " any node and set its address annotations (docs/architecture.md)");
    }
    return new NodeParts.Agents(
        check, name -> cache.nodes().stream().filter(n -> n.name().equals(name)).findFirst());
  }

  /**
   * Starts the NodeActors' sharding and the node singleton; returns the singleton's proxy.
   *
   * @param source the member's Node watch (null on members without a client: they only route)
   * @param netpolCache what a rebuilt node's NetworkPolicy part reads
   * @param cache the member's informer caches, which a starting NodeActor's port ledger recovers
   *     the deployed holders from
   * @param metrics where the ledgers and the cloud-controller stub report
   * @param repairs where the nodes count what their resync sent an agent again
   */
  static ActorRef<NodeController.Command> init(
      ActorSystem<?> system,
      WatchSource<WatchHandler<NodeInfo>> source,
      CloudNodeApi api,
      Settings settings,
      NetpolCache netpolCache,
      ServiceLbCache cache,
      MicrometerServiceLbMetrics metrics,
      ResyncRepairs repairs) {
    ClusterSharding sharding = ClusterSharding.get(system);
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(sharding, cache, metrics),
            CloudNodeKeeper.factory(api, !settings.disableCloudController(), metrics),
            NodeNetpol.factory(sharding, netpolCache, NetpolWiring.resyncEvery(system), repairs),
            Duration.ofSeconds(2),
            agents(system, settings, cache));
    sharding.init(
        Entity.of(
                NodeActor.TYPE_KEY,
                c -> Supervision.entity(NodeActor.create(c.getEntityId(), parts)))
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
    return ControllerSingletons.init(
        system, "node-controller", () -> NodeController.create(deps), new NodeController.Stop());
  }
}
