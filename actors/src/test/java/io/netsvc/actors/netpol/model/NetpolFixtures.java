package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance harness of the upstream e2e and Cyclonus (docs/k3s-and-kube-router.md):
 * namespaces x, y, z (labelled {@code ns=<name>}, without the automatic name label, which the view
 * adds), pods a, b, c in each ({@code pod=<name>}), dual-stack, serving {@code serve-80-tcp},
 * {@code serve-81-udp} and {@code serve-80-sctp}. Pods of x and y run on node n1, pods of z on n2.
 */
public final class NetpolFixtures {
  private NetpolFixtures() {}

  public static final List<String> NAMESPACES = List.of("x", "y", "z");
  public static final List<String> PODS = List.of("a", "b", "c");

  public static List<NamespaceInfo> namespaces() {
    return NAMESPACES.stream().map(n -> new NamespaceInfo(n, Map.of("ns", n))).toList();
  }

  public static List<NetpolPod> pods() {
    List<NetpolPod> out = new ArrayList<>();
    for (int n = 0; n < NAMESPACES.size(); n++) {
      for (int p = 0; p < PODS.size(); p++) {
        String ns = NAMESPACES.get(n);
        String node = ns.equals("z") ? "n2" : "n1";
        out.add(pod(ns, PODS.get(p), node, ipv4(n, p), ipv6(n, p), Map.of("pod", PODS.get(p))));
      }
    }
    return out;
  }

  /** x/a = 10.42.0.10, x/b = 10.42.0.11, y/a = 10.42.0.20, …; z pods live in 10.42.1.0/24. */
  public static String ipv4(int ns, int pod) {
    return ns == 2 ? "10.42.1." + (30 + pod) : "10.42.0." + (10 * (ns + 1) + pod);
  }

  public static String ipv6(int ns, int pod) {
    return ns == 2 ? "fd00:42:1::" + (30 + pod) : "fd00:42::" + (10 * (ns + 1) + pod);
  }

  public static String ip(String ns, String pod) {
    return ipv4(NAMESPACES.indexOf(ns), PODS.indexOf(pod));
  }

  public static String ip6(String ns, String pod) {
    return ipv6(NAMESPACES.indexOf(ns), PODS.indexOf(pod));
  }

  public static NetpolPod pod(
      String ns, String name, String node, String v4, String v6, Map<String, String> labels) {
    List<NamedPort> ports =
        List.of(
            new NamedPort("serve-80-tcp", "TCP", 80),
            new NamedPort("serve-81-udp", "UDP", 81),
            new NamedPort("serve-80-sctp", "SCTP", 80));
    return new NetpolPod(ns, name, node, labels, v4, v6, ports, false, false);
  }

  public static SelectorInfo labels(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return new SelectorInfo(m, List.of());
  }

  public static SelectorInfo expr(String key, String op, String... values) {
    return new SelectorInfo(Map.of(), List.of(new Requirement(key, op, List.of(values))));
  }

  public static Peer pods(SelectorInfo s) {
    return new Peer(s, null, null);
  }

  public static Peer namespaces(SelectorInfo s) {
    return new Peer(null, s, null);
  }

  public static Peer both(SelectorInfo ns, SelectorInfo pod) {
    return new Peer(pod, ns, null);
  }

  public static Peer block(String cidr, String... except) {
    return new Peer(null, null, new IpBlock(cidr, List.of(except)));
  }

  public static Port port(String protocol, String port) {
    return new Port(protocol, port, null);
  }

  public static Port range(String protocol, int from, int to) {
    return new Port(protocol, String.valueOf(from), to);
  }

  public static Rule rule(List<Peer> peers, Port... ports) {
    return new Rule(peers, List.of(ports));
  }

  public static NetworkPolicyInfo ingress(String ns, String name, SelectorInfo target, Rule... r) {
    return new NetworkPolicyInfo(
        ns, name, "uid-" + name, Map.of(), target, List.of("Ingress"), List.of(r), null);
  }

  public static NetworkPolicyInfo egress(String ns, String name, SelectorInfo target, Rule... r) {
    return new NetworkPolicyInfo(
        ns, name, "uid-" + name, Map.of(), target, List.of("Egress"), null, List.of(r));
  }

  public static NetworkPolicyInfo policy(
      String ns,
      String name,
      SelectorInfo target,
      List<String> types,
      List<Rule> ingress,
      List<Rule> egress) {
    return new NetworkPolicyInfo(ns, name, "uid-" + name, Map.of(), target, types, ingress, egress);
  }

  public static CompiledPolicy compile(NetworkPolicyInfo p) {
    return PolicyCompiler.compile(p, namespaces(), pods());
  }
}
