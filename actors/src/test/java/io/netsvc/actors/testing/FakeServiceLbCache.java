package io.netsvc.actors.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder;
import io.netsvc.actors.servicelb.ServiceLbCache;
import io.netsvc.k8s.FabricServiceLbApi;
import io.netsvc.k8s.convert.AppliedHash;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link ServiceLbCache}: tests put objects in, entities read them. Synced unless a
 * test says otherwise. svclb pods belong to the Service of their {@code svcnamespace/svcname}
 * labels; DaemonSets are kept whole so {@link #deployed} compares as the real cache does.
 */
public final class FakeServiceLbCache implements ServiceLbCache {
  private static final String SVCNAME = "svccontroller.k3s.cattle.io/svcname";
  private static final String SVCNAMESPACE = "svccontroller.k3s.cattle.io/svcnamespace";

  private volatile boolean synced = true;
  private final Map<String, ServiceInfo> services = new ConcurrentHashMap<>();
  private final Map<String, NodeInfo> nodes = new ConcurrentHashMap<>();
  private final Map<String, PodInfo> pods = new ConcurrentHashMap<>();
  private final Map<String, EndpointSliceInfo> slices = new ConcurrentHashMap<>();
  private final Map<String, DaemonSet> daemonSets = new ConcurrentHashMap<>();

  public FakeServiceLbCache synced(boolean value) {
    synced = value;
    return this;
  }

  public FakeServiceLbCache put(ServiceInfo s) {
    services.put(s.key(), s);
    return this;
  }

  public FakeServiceLbCache remove(ServiceInfo s) {
    services.remove(s.key());
    return this;
  }

  public FakeServiceLbCache put(NodeInfo n) {
    nodes.put(n.name(), n);
    return this;
  }

  public FakeServiceLbCache put(PodInfo p) {
    pods.put(p.key(), p);
    return this;
  }

  public FakeServiceLbCache put(EndpointSliceInfo e) {
    slices.put(e.namespace() + "/" + e.name(), e);
    return this;
  }

  public FakeServiceLbCache put(DaemonSet d) {
    daemonSets.put(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName(), d);
    return this;
  }

  @Override
  public boolean synced() {
    return synced;
  }

  @Override
  public Optional<ServiceInfo> service(String key) {
    return Optional.ofNullable(services.get(key));
  }

  @Override
  public List<NodeInfo> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public List<PodInfo> svclbPods(String serviceKey) {
    return pods.values().stream()
        .filter(
            p -> serviceKey.equals(p.labels().get(SVCNAMESPACE) + "/" + p.labels().get(SVCNAME)))
        .toList();
  }

  @Override
  public List<EndpointSliceInfo> endpointSlices(String serviceKey) {
    return slices.values().stream()
        .filter(e -> serviceKey.equals(e.namespace() + "/" + e.serviceName()))
        .toList();
  }

  @Override
  public List<SvclbDaemonSetInfo> daemonSets() {
    List<SvclbDaemonSetInfo> out = new ArrayList<>();
    for (DaemonSet d : daemonSets.values()) out.add(info(d));
    return out;
  }

  @Override
  public List<PodInfo> hostPortPodsOn(String node) {
    return pods.values().stream()
        .filter(p -> p.labels().get(SVCNAME) == null)
        .filter(p -> node.equals(p.nodeName()) && !p.hostPorts().isEmpty())
        .toList();
  }

  @Override
  public List<ServiceInfo> loadBalancers() {
    return services.values().stream().filter(ServiceInfo::wantsLoadBalancer).toList();
  }

  @Override
  public boolean deployed(DaemonSet desired) {
    DaemonSet live =
        daemonSets.get(
            desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName());
    return live != null && FabricServiceLbApi.unchanged(live, desired);
  }

  /**
   * {@code rendered} as netsvc applies it (with the hash of what it applied) and as an API server
   * stores it: with the defaults the server fills in, a resourceVersion and a generation.
   */
  public static DaemonSet stored(DaemonSet rendered) {
    DaemonSet d = AppliedHash.stamp(rendered);
    d.getMetadata().setResourceVersion("7");
    d.getMetadata().setGeneration(1L);
    d.getSpec().setRevisionHistoryLimit(10);
    d.getSpec()
        .setUpdateStrategy(
            new DaemonSetUpdateStrategyBuilder()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(1))
                .endRollingUpdate()
                .build());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    pod.setRestartPolicy("Always");
    pod.setDnsPolicy("ClusterFirst");
    pod.setSchedulerName("default-scheduler");
    pod.setTerminationGracePeriodSeconds(30L);
    pod.getContainers().forEach(c -> c.setTerminationMessagePath("/dev/termination-log"));
    return d;
  }

  private static SvclbDaemonSetInfo info(DaemonSet d) {
    var meta = d.getMetadata();
    var spec = d.getSpec().getTemplate().getSpec();
    List<String> nodes = List.of();
    if (spec.getAffinity() != null) {
      nodes =
          spec.getAffinity()
              .getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms()
              .get(0)
              .getMatchFields()
              .get(0)
              .getValues();
    }
    List<HostPortUse> ports = new ArrayList<>();
    spec.getContainers()
        .forEach(
            c ->
                c.getPorts()
                    .forEach(
                        p -> ports.add(new HostPortUse(p.getHostPort(), p.getProtocol(), null))));
    String key = meta.getLabels().get(SVCNAMESPACE) + "/" + meta.getLabels().get(SVCNAME);
    return new SvclbDaemonSetInfo(
        meta.getNamespace(), meta.getName(), key, List.copyOf(nodes), List.copyOf(ports));
  }
}
