package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.servicelb.ServiceLbDeps;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.nodeagent.NodeAgent;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A member with netsvc's capabilities wired: ServiceLB (entities, controller singleton) and the
 * agents of the nodes it hosts.
 */
public final class NetsvcMember implements AutoCloseable {
  private final Member member;
  private final FabricServiceLbApi api;

  private NetsvcMember(Member member, FabricServiceLbApi api) {
    this.member = member;
    this.api = api;
  }

  /**
   * @param client the Kubernetes client of a controller member (null for agent-only members)
   * @param agentNodes nodes whose agent runs in this member
   */
  public static NetsvcMember start(
      Member.Spec spec, KubernetesClient client, Settings settings, List<String> agentNodes) {
    Member member = Member.start(spec);
    ActorSystem<Void> system = member.system();
    ClusterSharding sharding = ClusterSharding.get(system);
    FabricServiceLbApi api = null;
    ServiceLbDeps deps = null;
    if (client != null && spec.roles().contains(ServiceLbWiring.CONTROLLER_ROLE)) {
      api = new FabricServiceLbApi(client, SvclbNames.CONTROLLER_NAME, 8);
      deps = new ServiceLbDeps(api, renderOptions(settings), sharding, Duration.ofSeconds(1));
    }
    ServiceLbWiring.init(
        system,
        deps,
        client == null ? null : new FabricWatchSource(client),
        !settings.isDisabled(Component.SERVICELB));
    Duration every = system.settings().config().getDuration("netsvc.agent-register-interval");
    for (String node : agentNodes) {
      system.systemActorOf(NodeAgent.create(node, sharding, every), "agent-" + node, Props.empty());
    }
    return new NetsvcMember(member, api);
  }

  static DaemonSetRenderer.RenderOptions renderOptions(Settings settings) {
    return new DaemonSetRenderer.RenderOptions(
        settings.servicelbNamespace(), SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  }

  public Member member() {
    return member;
  }

  @Override
  public void close() {
    member.close();
    if (api != null) api.close();
  }
}
