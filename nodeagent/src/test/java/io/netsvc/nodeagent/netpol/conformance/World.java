package io.netsvc.nodeagent.netpol.conformance;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API server would hold during a conformance case: namespaces x, y, z and pods a, b, c
 * (labels as upstream: {@code ns}, {@code kubernetes.io/metadata.name}, {@code pod}), named ports
 * {@code serve-80-tcp} etc., and the case's policies. Pods alternate between two nodes.
 */
final class World {
  static final List<String> NODES = List.of("node-1", "node-2");

  private final Map<String, String> nodes = new LinkedHashMap<>();
  private final Map<String, String> ips = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> nsLabels = new TreeMap<>();
  private final Map<String, Map<String, String>> podLabels = new TreeMap<>();
  private final Map<String, NetworkPolicyInfo> policies = new TreeMap<>();
  private final List<NetpolPod> extra = new ArrayList<>();

  World() {
    int i = 0;
    for (String pod : Truth.ALL) {
      int n = i % 2;
      nodes.put(pod, NODES.get(n));
      ips.put(pod, "10.128." + n + "." + (10 + i));
      i++;
    }
    reset();
  }

  static String nodeIp(String node) {
    return "10.250.0." + (NODES.indexOf(node) + 1);
  }

  static String podCidr(String node) {
    return "10.128." + NODES.indexOf(node) + ".0/24";
  }

  String node(String pod) {
    return nodes.get(pod);
  }

  String ip(String pod) {
    return ips.get(pod);
  }

  Map<String, String> ips() {
    return ips;
  }

  /** Back to the start of a case: base labels, no policies. */
  void reset() {
    policies.clear();
    extra.clear();
    for (String ns : Truth.NAMESPACES) {
      nsLabels.put(ns, new TreeMap<>(Map.of("ns", ns, "kubernetes.io/metadata.name", ns)));
    }
    for (String pod : Truth.ALL) {
      podLabels.put(pod, new TreeMap<>(Map.of("pod", pod.split("/")[1])));
    }
  }

  void apply(Step step) {
    if (step instanceof Step.Apply a) {
      NetworkPolicyInfo p = a.policy().apply(ips);
      policies.put(p.key(), p);
    } else if (step instanceof Step.Delete d) {
      policies.remove(d.namespace() + "/" + d.name());
    } else if (step instanceof Step.LabelNamespace l) {
      nsLabels.get(l.namespace()).put(l.key(), l.value());
    } else if (step instanceof Step.LabelPod l) {
      podLabels.get(l.pod()).put(l.key(), l.value());
    } else {
      throw new IllegalArgumentException("not a change: " + step);
    }
  }

  /** A pod beyond the nine (regression cases); it exists for the rules once added here. */
  void addPod(String ns, String name, String node, String ip) {
    extra.add(
        new NetpolPod(ns, name, node, Map.of("pod", name), ip, null, List.of(), false, false));
  }

  List<NetpolPod> pods() {
    List<NetpolPod> out = new ArrayList<>(extra);
    for (String pod : Truth.ALL) {
      String[] p = pod.split("/");
      List<NetpolPod.NamedPort> ports =
          new ArrayList<>(
              List.of(
                  new NetpolPod.NamedPort("serve-80-tcp", "TCP", 80),
                  new NetpolPod.NamedPort("serve-81-tcp", "TCP", 81),
                  new NetpolPod.NamedPort("serve-80-udp", "UDP", 80),
                  new NetpolPod.NamedPort("serve-81-udp", "UDP", 81)));
      // a name only namespace y's pods expose (regression D7)
      if (p[0].equals("y")) ports.add(new NetpolPod.NamedPort("alt-81", "TCP", 81));
      out.add(
          new NetpolPod(
              p[0],
              p[1],
              nodes.get(pod),
              podLabels.get(pod),
              ips.get(pod),
              null,
              ports,
              false,
              false));
    }
    return out;
  }

  List<CompiledPolicy> compile() {
    List<NamespaceInfo> namespaces = new ArrayList<>();
    nsLabels.forEach((ns, labels) -> namespaces.add(new NamespaceInfo(ns, new HashMap<>(labels))));
    ClusterView view = ClusterView.of(namespaces, pods());
    List<CompiledPolicy> out = new ArrayList<>();
    for (NetworkPolicyInfo p : policies.values()) out.add(PolicyCompiler.compile(p, view));
    return out;
  }
}
