package io.netsvc.nodeagent.netpol.conformance;

import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small builder for the policies of the conformance cases, written like the upstream e2e. */
final class Policies {
  private Policies() {}

  static SelectorInfo labels(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return new SelectorInfo(m, List.of());
  }

  static SelectorInfo expr(String key, String op, String... values) {
    return new SelectorInfo(
        Map.of(), List.of(new SelectorInfo.Requirement(key, op, List.of(values))));
  }

  static SelectorInfo pod(String name) {
    return labels("pod", name);
  }

  static SelectorInfo ns(String name) {
    return labels("ns", name);
  }

  static Peer pods(SelectorInfo s) {
    return new Peer(s, null, null);
  }

  static Peer namespaces(SelectorInfo s) {
    return new Peer(null, s, null);
  }

  static Peer both(SelectorInfo namespaces, SelectorInfo pods) {
    return new Peer(pods, namespaces, null);
  }

  static Peer cidr(String cidr, String... except) {
    return new Peer(null, null, new IpBlock(cidr, List.of(except)));
  }

  static Port port(String protocol, String port) {
    return new Port(protocol, port, null);
  }

  static Port tcp(int port) {
    return port("TCP", String.valueOf(port));
  }

  static Port named(String name) {
    return port("TCP", name);
  }

  static Rule rule(List<Peer> peers, List<Port> ports) {
    return new Rule(peers, ports);
  }

  static Rule from(Peer... peers) {
    return new Rule(List.of(peers), List.of());
  }

  static Rule on(Port... ports) {
    return new Rule(List.of(), List.of(ports));
  }

  static final Rule ANY = new Rule(List.of(), List.of());

  /** A policy; {@code ingress}/{@code egress} null = absent. Types as the API server defaults. */
  static NetworkPolicyInfo policy(
      String ns, String name, SelectorInfo target, List<Rule> ingress, List<Rule> egress) {
    List<String> types = new ArrayList<>();
    if (ingress != null) types.add("Ingress");
    if (egress != null) types.add("Egress");
    if (types.isEmpty()) types.add("Ingress");
    return new NetworkPolicyInfo(
        ns, name, ns + "-" + name, Map.of(), target, types, ingress, egress);
  }

  static NetworkPolicyInfo ingress(String ns, String name, SelectorInfo target, Rule... rules) {
    return policy(ns, name, target, List.of(rules), null);
  }

  static NetworkPolicyInfo egress(String ns, String name, SelectorInfo target, Rule... rules) {
    return policy(ns, name, target, null, List.of(rules));
  }
}
