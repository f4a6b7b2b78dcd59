package io.netsvc.k8s.convert;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** fabric8 objects → the small records that enter actors (never null lists or maps). */
public final class Convert {
  private Convert() {}

  public static ServiceInfo service(Service s) {
    ObjectMeta m = s.getMetadata();
    ServiceSpec spec = s.getSpec() == null ? new ServiceSpec() : s.getSpec();
    List<PortSpec> ports = new ArrayList<>();
    for (ServicePort p : list(spec.getPorts())) {
      ports.add(
          new PortSpec(
              p.getName(),
              p.getProtocol() == null ? "TCP" : p.getProtocol(),
              p.getPort() == null ? 0 : p.getPort(),
              p.getNodePort() == null ? 0 : p.getNodePort(),
              p.getTargetPort() == null
                  ? null
                  : String.valueOf(
                      p.getTargetPort().getIntVal() != null
                          ? p.getTargetPort().getIntVal()
                          : p.getTargetPort().getStrVal())));
    }
    List<String> clusterIPs = list(spec.getClusterIPs());
    if (clusterIPs.isEmpty()
        && spec.getClusterIP() != null
        && !spec.getClusterIP().isEmpty()
        && !"None".equals(spec.getClusterIP())) {
      clusterIPs = List.of(spec.getClusterIP());
    }
    List<String> families = list(spec.getIpFamilies());
    if (families.isEmpty()) {
      families =
          clusterIPs.stream()
              .flatMap(ip -> IpAddress.parse(ip, IpAddress.Syntax.KUBERNETES).stream())
              .map(ip -> ip.family().kubernetesName())
              .distinct()
              .toList();
    }
    if (families.isEmpty()) families = List.of(IpFamily.IPV4.kubernetesName());
    List<IngressInfo> ingress = new ArrayList<>();
    if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null) {
      for (LoadBalancerIngress i : list(s.getStatus().getLoadBalancer().getIngress())) {
        ingress.add(new IngressInfo(i.getIp(), i.getHostname(), i.getIpMode()));
      }
    }
    return new ServiceInfo(
        m.getNamespace(),
        m.getName(),
        m.getUid(),
        m.getResourceVersion(),
        m.getCreationTimestamp(),
        spec.getType() == null ? "ClusterIP" : spec.getType(),
        spec.getLoadBalancerClass(),
        List.copyOf(ports),
        List.copyOf(clusterIPs),
        List.copyOf(families),
        spec.getExternalTrafficPolicy(),
        List.copyOf(list(spec.getLoadBalancerSourceRanges())),
        spec.getAllocateLoadBalancerNodePorts(),
        map(m.getLabels()),
        map(m.getAnnotations()),
        List.copyOf(list(m.getFinalizers())),
        m.getDeletionTimestamp() != null,
        List.copyOf(ingress));
  }

  public static NodeInfo node(Node n) {
    ObjectMeta m = n.getMetadata();
    List<NodeAddress> addresses = new ArrayList<>();
    if (n.getStatus() != null) {
      list(n.getStatus().getAddresses())
          .forEach(a -> addresses.add(new NodeAddress(a.getType(), a.getAddress())));
    }
    List<TaintInfo> taints = new ArrayList<>();
    if (n.getSpec() != null) {
      list(n.getSpec().getTaints())
          .forEach(t -> taints.add(new TaintInfo(t.getKey(), t.getValue(), t.getEffect())));
    }
    return new NodeInfo(
        m.getName(),
        map(m.getLabels()),
        map(m.getAnnotations()),
        List.copyOf(addresses),
        List.copyOf(taints),
        n.getSpec() == null ? null : n.getSpec().getProviderID(),
        podCidrs(n));
  }

  // spec.podCIDRs, or the older single spec.podCIDR when only that is set
  private static List<String> podCidrs(Node n) {
    if (n.getSpec() == null) return List.of();
    List<String> all = list(n.getSpec().getPodCIDRs());
    if (!all.isEmpty()) return List.copyOf(all);
    String one = n.getSpec().getPodCIDR();
    return one == null || one.isEmpty() ? List.of() : List.of(one);
  }

  public static PodInfo pod(Pod p) {
    ObjectMeta m = p.getMetadata();
    List<HostPortUse> hostPorts = hostPorts(p.getSpec());
    var st = p.getStatus();
    boolean ready =
        st != null
            && list(st.getConditions()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    List<String> podIPs =
        st == null ? List.of() : list(st.getPodIPs()).stream().map(PodIP::getIp).toList();
    return new PodInfo(
        m.getNamespace(),
        m.getName(),
        m.getUid(),
        p.getSpec() == null ? null : p.getSpec().getNodeName(),
        map(m.getLabels()),
        st == null ? null : st.getPodIP(),
        List.copyOf(podIPs),
        st == null ? null : st.getPhase(),
        ready,
        m.getDeletionTimestamp() != null,
        List.copyOf(hostPorts));
  }

  public static EndpointSliceInfo endpointSlice(EndpointSlice e) {
    ObjectMeta m = e.getMetadata();
    TreeSet<String> nodes = new TreeSet<>();
    for (Endpoint ep : list(e.getEndpoints())) {
      boolean ready =
          ep.getConditions() != null && Boolean.TRUE.equals(ep.getConditions().getReady());
      if (ready
          && ep.getNodeName() != null
          && ep.getTargetRef() != null
          && "Pod".equals(ep.getTargetRef().getKind())) {
        nodes.add(ep.getNodeName());
      }
    }
    return new EndpointSliceInfo(
        m.getNamespace(),
        m.getName(),
        map(m.getLabels()).get("kubernetes.io/service-name"),
        List.copyOf(nodes));
  }

  /**
   * A svclb DaemonSet: the Service it serves (its {@code svcnamespace}/{@code svcname} labels; null
   * without them), the nodes of the {@code metadata.name In [...]} node affinity netsvc renders to
   * keep the pods where the ledgers granted the ports (empty: no affinity), its host ports.
   */
  public static SvclbDaemonSetInfo svclbDaemonSet(DaemonSet d) {
    ObjectMeta m = d.getMetadata();
    Map<String, String> labels = map(m.getLabels());
    String svcName = labels.get(SVCNAME_LABEL);
    String svcNs = labels.get(SVCNAMESPACE_LABEL);
    PodSpec pod =
        d.getSpec() == null || d.getSpec().getTemplate() == null
            ? null
            : d.getSpec().getTemplate().getSpec();
    TreeSet<String> nodes = new TreeSet<>();
    if (pod != null
        && pod.getAffinity() != null
        && pod.getAffinity().getNodeAffinity() != null
        && pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            != null) {
      for (NodeSelectorTerm t :
          list(
              pod.getAffinity()
                  .getNodeAffinity()
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .getNodeSelectorTerms())) {
        for (NodeSelectorRequirement r : list(t.getMatchFields())) {
          if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())) {
            nodes.addAll(list(r.getValues()));
          }
        }
      }
    }
    return new SvclbDaemonSetInfo(
        m.getNamespace(),
        m.getName(),
        svcName == null || svcNs == null ? null : svcNs + "/" + svcName,
        List.copyOf(nodes),
        hostPorts(pod));
  }

  private static final String SVCNAME_LABEL = io.netsvc.k8s.WatchKind.SVCLB_LABEL;
  private static final String SVCNAMESPACE_LABEL = "svccontroller.k3s.cattle.io/svcnamespace";

  private static List<HostPortUse> hostPorts(PodSpec spec) {
    List<HostPortUse> hostPorts = new ArrayList<>();
    if (spec == null) return List.of();
    for (Container c : list(spec.getContainers())) {
      for (ContainerPort cp : list(c.getPorts())) {
        if (cp.getHostPort() != null && cp.getHostPort() > 0) {
          hostPorts.add(
              new HostPortUse(
                  cp.getHostPort(),
                  cp.getProtocol() == null ? "TCP" : cp.getProtocol(),
                  cp.getHostIP()));
        }
      }
    }
    return List.copyOf(hostPorts);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static Map<String, String> map(Map<String, String> m) {
    return m == null ? Map.of() : Map.copyOf(m);
  }
}
