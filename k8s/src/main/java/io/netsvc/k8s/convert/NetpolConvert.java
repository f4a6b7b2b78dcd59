package io.netsvc.k8s.convert;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.List;

/** fabric8 objects → the NetworkPolicy controller's records. */
public final class NetpolConvert {
  private NetpolConvert() {}

  public static NamespaceInfo namespace(Namespace n) {
    return new NamespaceInfo(n.getMetadata().getName(), n.getMetadata().getLabels());
  }

  public static NetpolPod pod(Pod p) {
    var st = p.getStatus();
    String v4 = null;
    String v6 = null;
    List<String> ips = new ArrayList<>();
    if (st != null) {
      if (st.getPodIPs() != null) st.getPodIPs().stream().map(PodIP::getIp).forEach(ips::add);
      if (ips.isEmpty() && st.getPodIP() != null) ips.add(st.getPodIP());
    }
    for (String ip : ips) {
      IpFamily f =
          IpAddress.parse(ip, IpAddress.Syntax.KUBERNETES).map(IpAddress::family).orElse(null);
      if (f == IpFamily.IPV6 && v6 == null) v6 = ip;
      else if (f == IpFamily.IPV4 && v4 == null) v4 = ip;
    }
    List<NetpolPod.NamedPort> named = new ArrayList<>();
    var spec = p.getSpec();
    if (spec != null && spec.getContainers() != null) {
      for (Container c : spec.getContainers()) {
        if (c.getPorts() == null) continue;
        for (ContainerPort cp : c.getPorts()) {
          if (cp.getName() != null && !cp.getName().isEmpty() && cp.getContainerPort() != null) {
            String proto = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
            named.add(new NetpolPod.NamedPort(cp.getName(), proto, cp.getContainerPort()));
          }
        }
      }
    }
    String phase = st == null ? null : st.getPhase();
    return new NetpolPod(
        p.getMetadata().getNamespace(),
        p.getMetadata().getName(),
        spec == null ? null : spec.getNodeName(),
        p.getMetadata().getLabels(),
        v4,
        v6,
        named,
        spec != null && Boolean.TRUE.equals(spec.getHostNetwork()),
        "Succeeded".equals(phase) || "Failed".equals(phase));
  }

  public static NetworkPolicyInfo policy(NetworkPolicy np) {
    var spec = np.getSpec();
    List<NetworkPolicyInfo.Rule> ingress = null;
    List<NetworkPolicyInfo.Rule> egress = null;
    if (spec.getIngress() != null) {
      ingress = new ArrayList<>();
      for (NetworkPolicyIngressRule r : spec.getIngress()) {
        ingress.add(rule(r.getFrom(), r.getPorts()));
      }
    }
    if (spec.getEgress() != null) {
      egress = new ArrayList<>();
      for (NetworkPolicyEgressRule r : spec.getEgress()) egress.add(rule(r.getTo(), r.getPorts()));
    }
    return new NetworkPolicyInfo(
        np.getMetadata().getNamespace(),
        np.getMetadata().getName(),
        np.getMetadata().getUid(),
        np.getMetadata().getAnnotations(),
        selector(spec.getPodSelector()),
        spec.getPolicyTypes(),
        ingress,
        egress);
  }

  private static NetworkPolicyInfo.Rule rule(
      List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
    List<NetworkPolicyInfo.Peer> ps = new ArrayList<>();
    if (peers != null) {
      for (NetworkPolicyPeer p : peers) {
        NetworkPolicyInfo.IpBlock block =
            p.getIpBlock() == null
                ? null
                : new NetworkPolicyInfo.IpBlock(
                    p.getIpBlock().getCidr(), p.getIpBlock().getExcept());
        ps.add(
            new NetworkPolicyInfo.Peer(
                p.getPodSelector() == null ? null : selector(p.getPodSelector()),
                p.getNamespaceSelector() == null ? null : selector(p.getNamespaceSelector()),
                block));
      }
    }
    List<NetworkPolicyInfo.Port> out = new ArrayList<>();
    if (ports != null) {
      for (NetworkPolicyPort p : ports) {
        out.add(new NetworkPolicyInfo.Port(p.getProtocol(), portText(p.getPort()), p.getEndPort()));
      }
    }
    return new NetworkPolicyInfo.Rule(ps, out);
  }

  private static String portText(IntOrString port) {
    if (port == null) return null;
    if (port.getIntVal() != null) return String.valueOf(port.getIntVal());
    return port.getStrVal();
  }

  static SelectorInfo selector(LabelSelector s) {
    if (s == null) return SelectorInfo.ALL;
    List<SelectorInfo.Requirement> reqs = new ArrayList<>();
    if (s.getMatchExpressions() != null) {
      s.getMatchExpressions()
          .forEach(
              e ->
                  reqs.add(
                      new SelectorInfo.Requirement(e.getKey(), e.getOperator(), e.getValues())));
    }
    return new SelectorInfo(s.getMatchLabels(), reqs);
  }
}
