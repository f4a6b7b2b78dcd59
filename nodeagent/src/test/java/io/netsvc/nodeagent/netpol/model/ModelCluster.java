package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small cluster modelled in memory for renderer and plan tests: namespaces, pods on nodes n1 (pod
 * CIDR 10.42.0.0/24, fd00:42::/64, node address 10.42.0.1 / fd00:42::1) and n2 (10.42.1.0/24,
 * fd00:42:1::/64), policies; compiles and renders per node and family, and walks packets through
 * the rendered tables with {@link PacketSim}. No kernel is involved (real packets between network
 * namespaces are the lab's, in package {@code netpol.lab}).
 */
final class ModelCluster {
  static final NetpolNode N1 =
      new NetpolNode(
          "n1",
          Set.of(IpFamily.IPV4, IpFamily.IPV6),
          List.of("10.42.0.0/24", "fd00:42::/64"),
          List.of("10.43.0.0/16"),
          "30000-32767");
  static final NetpolNode N2 =
      new NetpolNode(
          "n2",
          Set.of(IpFamily.IPV4, IpFamily.IPV6),
          List.of("10.42.1.0/24", "fd00:42:1::/64"),
          List.of(),
          null);
  static final Map<String, Set<String>> LOCAL =
      Map.of(
          "n1", Set.of("10.42.0.1", "192.168.1.1", "fd00:42::1"),
          "n2", Set.of("10.42.1.1", "192.168.1.2", "fd00:42:1::1"));

  final List<NamespaceInfo> namespaces = new ArrayList<>();
  final List<NetpolPod> pods = new ArrayList<>();
  final Map<String, NetworkPolicyInfo> policies = new LinkedHashMap<>();

  ModelCluster namespace(String name, String... labels) {
    namespaces.add(new NamespaceInfo(name, map(labels)));
    return this;
  }

  /** A pod; its IPv6 address mirrors the IPv4 one ({@code 10.42.0.7} → {@code fd00:42::7}). */
  ModelCluster pod(
      String ns, String name, String node, String v4, String labels, NamedPort... ports) {
    String[] p = v4.split("\\.");
    String v6 = "fd00:42:" + (p[2].equals("0") ? "" : p[2] + ":") + ":" + p[3];
    pods.add(
        new NetpolPod(
            ns, name, node, map(labels.split("[=,]")), v4, v6, List.of(ports), false, false));
    return this;
  }

  ModelCluster remove(String ns, String name) {
    pods.removeIf(p -> p.namespace().equals(ns) && p.name().equals(name));
    return this;
  }

  ModelCluster policy(NetworkPolicyInfo p) {
    policies.put(p.key(), p);
    return this;
  }

  List<CompiledPolicy> compiled() {
    ClusterView view = ClusterView.of(namespaces, pods);
    return policies.values().stream().map(p -> PolicyCompiler.compile(p, view)).toList();
  }

  /** What {@code node}'s agent is sent of each policy: the node's projection. */
  List<CompiledPolicy> sentTo(NetpolNode node) {
    return compiled().stream().map(p -> p.forNode(node.name())).toList();
  }

  /** The node's rules, rendered (as its agent does) from what it is sent. */
  Ruleset render(NetpolNode node) {
    return RulesetRenderer.render(NodeRuleset.of(node, pods, sentTo(node)));
  }

  PacketSim sim(NetpolNode node, IpFamily f) {
    return new PacketSim(render(node).table(f), LOCAL.get(node.name()));
  }

  /** The verdict for a new TCP connection from pod {@code from} to pod {@code to} (ns/name). */
  PacketSim.Verdict tcp(String from, String to, int port) {
    return connect(from, to, "tcp", String.valueOf(port), IpFamily.IPV4);
  }

  PacketSim.Verdict connect(String from, String to, String proto, String port, IpFamily f) {
    NetpolPod a = find(from);
    NetpolPod b = find(to);
    String src = f == IpFamily.IPV4 ? a.ipv4() : a.ipv6();
    String dst = f == IpFamily.IPV4 ? b.ipv4() : b.ipv6();
    Map<String, PacketSim> nodes = Map.of("n1", sim(N1, f), "n2", sim(N2, f));
    return PacketSim.path(
        nodes, a.nodeName(), b.nodeName(), new PacketSim.Packet(src, dst, proto, port));
  }

  NetpolPod find(String key) {
    return pods.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  static SelectorInfo sel(String... kv) {
    return new SelectorInfo(map(kv), List.of());
  }

  static Peer podPeer(String... kv) {
    return new Peer(sel(kv), null, null);
  }

  static Peer nsPeer(String... kv) {
    return new Peer(null, sel(kv), null);
  }

  static Peer block(String cidr, String... except) {
    return new Peer(null, null, new IpBlock(cidr, List.of(except)));
  }

  static Port tcp(String port) {
    return new Port("TCP", port, null);
  }

  static Rule rule(List<Peer> peers, Port... ports) {
    return new Rule(peers, List.of(ports));
  }

  static NetworkPolicyInfo policy(
      String ns,
      String name,
      SelectorInfo target,
      List<String> types,
      List<Rule> in,
      List<Rule> out) {
    return new NetworkPolicyInfo(ns, name, "uid", Map.of(), target, types, in, out);
  }
}
