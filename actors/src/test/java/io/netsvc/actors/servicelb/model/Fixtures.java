package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the records the model and the ServiceLB actors take. */
public final class Fixtures {
  private Fixtures() {}

  public static final String UID = "35a5ccb3-4a82-40b7-8d83-cda9582e4251";

  /** A mutable stand-in for ServiceInfo's 18 components. */
  public static final class Svc {
    String namespace = "default";
    String name = "web";
    String type = "LoadBalancer";
    List<String> finalizers = List.of();
    List<IngressInfo> ingress = List.of();
    String creationTimestamp = "2026-01-01T00:00:00Z";
    List<PortSpec> ports = new ArrayList<>(List.of(new PortSpec("http", "TCP", 80, 30080, "8080")));
    List<String> clusterIPs = List.of("10.43.0.10");
    List<String> ipFamilies = List.of("IPv4");
    String etp = "Cluster";
    List<String> sourceRanges = List.of();
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();

    public Svc name(String n) {
      name = n;
      return this;
    }

    public Svc type(String t) {
      type = t;
      return this;
    }

    public Svc finalizers(String... f) {
      finalizers = List.of(f);
      return this;
    }

    public Svc ingress(IngressInfo... i) {
      ingress = List.of(i);
      return this;
    }

    public Svc ports(PortSpec... p) {
      ports = List.of(p);
      return this;
    }

    Svc families(String... f) {
      ipFamilies = List.of(f);
      return this;
    }

    Svc etp(String policy) {
      etp = policy;
      return this;
    }

    Svc clusterIPs(String... ips) {
      clusterIPs = List.of(ips);
      return this;
    }

    Svc sourceRanges(String... r) {
      sourceRanges = List.of(r);
      return this;
    }

    public Svc label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    Svc annotation(String k, String v) {
      annotations.put(k, v);
      return this;
    }

    public ServiceInfo build() {
      return new ServiceInfo(
          namespace,
          name,
          UID,
          "1",
          creationTimestamp,
          type,
          null,
          ports,
          clusterIPs,
          ipFamilies,
          etp,
          sourceRanges,
          null,
          labels,
          annotations,
          finalizers,
          false,
          ingress);
    }
  }

  public static Svc svc() {
    return new Svc();
  }

  static PortSpec port(String protocol, int port, int nodePort) {
    return new PortSpec(protocol.toLowerCase() + "-" + port, protocol, port, nodePort, null);
  }

  /** Addresses as "InternalIP=10.0.0.1". */
  public static NodeInfo node(String name, String... addresses) {
    List<NodeAddress> a = new ArrayList<>();
    for (String s : addresses) {
      String[] kv = s.split("=", 2);
      a.add(new NodeAddress(kv[0], kv[1]));
    }
    return new NodeInfo(name, Map.of(), Map.of(), a, List.of(), null);
  }

  static NodeInfo node(String name, Map<String, String> labels, TaintInfo... taints) {
    return new NodeInfo(name, labels, Map.of(), List.of(), List.of(taints), null);
  }

  /** A node with one InternalIP, labels and taints. */
  static NodeInfo node(
      String name, String internalIP, Map<String, String> labels, TaintInfo... taints) {
    return new NodeInfo(
        name,
        labels,
        Map.of(),
        List.of(new NodeAddress("InternalIP", internalIP)),
        List.of(taints),
        null);
  }

  static TaintInfo taint(String key, String value, String effect) {
    return new TaintInfo(key, value, effect);
  }

  /** An svclb pod of Service default/web on {@code node}, Running with a pod IP. */
  static PodInfo svclbPod(String node, boolean ready) {
    return svclbPod(node, ready, false, "10.42.0." + Math.abs(node.hashCode() % 250));
  }

  public static PodInfo svclbPod(String node, boolean ready, boolean deleting, String podIP) {
    return new PodInfo(
        "kube-system",
        "svclb-web-35a5ccb3-" + node,
        "uid-" + node,
        node,
        Map.of(
            "app",
            "svclb-web-35a5ccb3",
            SvclbNames.SVCNAME_LABEL,
            "web",
            SvclbNames.SVCNAMESPACE_LABEL,
            "default"),
        podIP,
        podIP == null ? List.of() : List.of(podIP),
        "Running",
        ready,
        deleting,
        List.of());
  }
}
