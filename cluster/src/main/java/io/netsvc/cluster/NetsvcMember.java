package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.netpol.NetpolCache;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.actors.netpol.NetpolDeps;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.servicelb.ServiceLbCache;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.actors.servicelb.ServiceLbDeps;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.EventSink;
import io.netsvc.k8s.FabricCloudNodeApi;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.LeaseFence;
import io.netsvc.k8s.WatchKind;
import io.netsvc.k8s.Watchers;
import io.netsvc.nodeagent.NodeAgent;
import io.netsvc.nodeagent.netpol.NetpolSetup;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A member with netsvc's capabilities wired: ServiceLB (entities, controller singleton), the
 * cloud-controller stub and NodeHosts keeper (node singleton), and the agents of the nodes it
 * hosts. Its singletons watch the API through the member's one set of shared {@link Informers}.
 */
public final class NetsvcMember implements AutoCloseable {
  private final Member member;
  private final FabricServiceLbApi api;
  private final FabricCloudNodeApi cloudApi;
  private final Informers informers;
  private final InformerServiceLbCache cache;
  private final NetpolCache netpolCache;
  private final LeaseFence fence;

  private NetsvcMember(
      Member member,
      FabricServiceLbApi api,
      FabricCloudNodeApi cloudApi,
      Informers informers,
      InformerServiceLbCache cache,
      NetpolCache netpolCache,
      LeaseFence fence) {
    this.fence = fence;
    this.member = member;
    this.api = api;
    this.cloudApi = cloudApi;
    this.informers = informers;
    this.cache = cache;
    this.netpolCache = netpolCache;
  }

  /**
   * @param client the Kubernetes client of a controller member (null for agent-only members)
   * @param agents nodes whose agent runs in this member, with what each advertises
   * @param netpol each agent's NetworkPolicy dataplane and pod CIDRs (by node), or null for none
   */
  public static NetsvcMember start(
      Member.Spec spec,
      KubernetesClient client,
      Settings settings,
      Map<String, AgentIdentity> agents,
      AgentDataplanes netpol) {
    Member member = Member.start(spec);
    ActorSystem<Void> system = member.system();
    ClusterSharding sharding = ClusterSharding.get(system);
    PrometheusMeterRegistry metrics = MemberMetrics.create(system);
    MicrometerServiceLbMetrics lbMetrics = new MicrometerServiceLbMetrics(metrics);
    FabricServiceLbApi api = null;
    FabricCloudNodeApi cloudApi = null;
    ServiceLbDeps deps = null;
    InformerServiceLbCache cache = null;
    Informers informers = client == null ? null : new Informers(client);
    MicrometerResyncRepairs repairs = new MicrometerResyncRepairs(metrics);
    if (informers != null) InformerMetrics.register(metrics, informers);
    LeaseFence fence = null;
    if (client != null && spec.roles().contains(ServiceLbWiring.CONTROLLER_ROLE)) {
      fence = MemberFence.install(system, client);
      api = new FabricServiceLbApi(client, SvclbNames.CONTROLLER_NAME, 8);
      cloudApi = new FabricCloudNodeApi(client, 2);
      // ServiceLB's informers run on every controller member from its start, whether it hosts the
      // singleton or not: entities that move here after a crash rebuild from synced caches
      boolean serviceLb = !settings.isDisabled(Component.SERVICELB);
      if (serviceLb) cache = InformerServiceLbCache.start(informers, settings.servicelbNamespace());
      WitnessWiring.start(
          system,
          informers,
          client.getNamespace(),
          client.getMasterUrl().getHost(),
          metrics,
          System.getenv());
      deps =
          new ServiceLbDeps(
              api,
              renderOptions(settings),
              sharding,
              Duration.ofSeconds(1),
              cache == null ? ServiceLbCache.NONE : cache,
              repairs,
              lbMetrics);
    }
    ActorRef<ServiceLbController.Command> serviceLb =
        ServiceLbWiring.init(
            system,
            deps,
            informers == null ? null : h -> Watchers.serviceLb(informers, h),
            !settings.isDisabled(Component.SERVICELB));
    NetpolCache netpolCache =
        NetpolWiring.cache(
            system,
            deps == null || settings.disableNetworkPolicy()
                ? null
                : h -> Watchers.netpol(informers, h));
    ActorRef<NodeController.Command> nodes =
        NodeWiring.init(
            system,
            informers == null ? null : h -> Watchers.nodes(informers, h),
            cloudApi,
            settings,
            netpolCache,
            cache == null ? ServiceLbCache.NONE : cache,
            lbMetrics,
            repairs);
    if (client != null) DeployWiring.init(system, client, settings, metrics);
    ActorRef<NetpolController.Command> netpolController = null;
    if (!settings.disableNetworkPolicy()) {
      NetpolDeps netpolDeps =
          client == null
              ? null
              : new NetpolDeps(
                  sharding,
                  EventSink.fabric(
                      client,
                      "netsvc-netpol",
                      system.dispatchers().lookup(DispatcherSelector.blocking())),
                  MicrometerNetpolMetrics.compileTimer(metrics),
                  netpolCache,
                  () -> repairs.repaired("networkpolicy"),
                  NetpolWiring.resyncEvery(system));
      netpolController =
          NetpolWiring.init(
              system, informers == null ? null : h -> Watchers.netpol(informers, h), netpolDeps);
    }
    Duration every = system.settings().config().getDuration("netsvc.agent-register-interval");
    agents.forEach(
        (node, identity) ->
            system.systemActorOf(
                NodeAgent.create(
                    node,
                    identity,
                    sharding,
                    every,
                    netpol == null || settings.disableNetworkPolicy()
                        ? null
                        : new NetpolSetup(
                            netpol.dataplane().apply(node),
                            netpol.podCidrs().apply(node),
                            system.dispatchers().lookup(DispatcherSelector.blocking()),
                            system.settings().config().getDuration("netsvc.netpol-verify-interval"),
                            new MicrometerNetpolMetrics(metrics),
                            system
                                .settings()
                                .config()
                                .getDuration("netsvc.netpol-consistency-interval"))),
                "agent-" + node,
                Props.empty()));
    NetsvcHandles.get(system)
        .publish(new ManagementDeps(serviceLb, nodes, netpolController, metrics, informers));
    return new NetsvcMember(member, api, cloudApi, informers, cache, netpolCache, fence);
  }

  static DaemonSetRenderer.RenderOptions renderOptions(Settings settings) {
    return new DaemonSetRenderer.RenderOptions(
        settings.servicelbNamespace(),
        SvclbNames.image(settings.deploy().systemDefaultRegistry()),
        SvclbNames.DEFAULT_PRIORITY_CLASS);
  }

  public Member member() {
    return member;
  }

  /** The member's informers; null on an agent-only member. */
  public Informers informers() {
    return informers;
  }

  /**
   * For the memory benchmark: forgets the records netsvc's own caches (ServiceLB's and
   * NetworkPolicy's) made of {@code kind}'s objects, while the informer keeps its own. Returns how
   * many records went.
   */
  public int forgetRecords(WatchKind<?> kind) {
    int n = cache == null ? 0 : cache.forget(kind);
    return netpolCache instanceof InformerNetpolCache c ? n + c.forget(kind) : n;
  }

  @Override
  public void close() {
    member.close();
    if (cache != null) cache.close();
    // after the singletons stopped: releases the Lease if this member still holds it
    if (fence != null) fence.close();
    if (informers != null) informers.close();
    if (api != null) api.close();
    if (cloudApi != null) cloudApi.close();
  }
}
