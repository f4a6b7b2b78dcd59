package io.netsvc.actors.servicelb.model;

import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * K3s's {@code getStatus}: the addresses of the nodes with a Ready svclb pod (for
 * externalTrafficPolicy Local only those hosting a Ready endpoint); all ExternalIPs if any node has
 * one, else InternalIPs; string-sorted per family, families in {@code spec.ipFamilies} order. Every
 * entry carries {@code ipMode: VIP} explicitly.
 */
public final class IngressCalculator {
  private IngressCalculator() {}

  /**
   * @param nodesWithReadySvclbPod nodes whose svclb pod is Ready (and has a pod IP)
   * @param endpointNodes nodes with a Ready Pod endpoint; used (null = none) only for Local
   */
  public static List<IngressInfo> compute(
      ServiceInfo svc, Collection<NodeInfo> nodesWithReadySvclbPod, Set<String> endpointNodes) {
    boolean local = svc.requestsOnlyLocalTraffic();
    SortedSet<String> external = new TreeSet<>();
    SortedSet<String> internal = new TreeSet<>();
    for (NodeInfo n : nodesWithReadySvclbPod) {
      if (local && (endpointNodes == null || !endpointNodes.contains(n.name()))) continue;
      external.addAll(n.addressesOfType("ExternalIP"));
      internal.addAll(n.addressesOfType("InternalIP"));
    }
    return fromAddresses(svc, external.isEmpty() ? internal : external);
  }

  /**
   * The status for these advertised addresses (the ExternalIPs if any, else the InternalIPs of the
   * nodes that count): string-sorted per family, families in {@code spec.ipFamilies} order.
   */
  public static List<IngressInfo> fromAddresses(ServiceInfo svc, SortedSet<String> ips) {
    List<IngressInfo> out = new ArrayList<>();
    // TreeSet order is String order: "10.0.0.10" < "10.0.0.9", as K3s's sort.Strings.
    for (String name : svc.ipFamilies()) {
      IpFamily family = IpFamily.fromKubernetesName(name).orElse(null);
      for (String ip : ips) {
        // K3s's filterByIPFamily asks k8s.io/utils's IsIPv4String/IsIPv6String: an IPv4-mapped
        // address counts as IPv4, text that is not an IP literal as neither and is dropped
        if (family != null && familyOf(ip) == family) out.add(IngressInfo.vip(ip));
      }
    }
    return out;
  }

  /** Whether {@link #fromAddresses} lists {@code ip} for this Service (its family is asked for). */
  public static boolean listed(ServiceInfo svc, String ip) {
    IpFamily family = familyOf(ip);
    if (family == null) return false;
    for (String name : svc.ipFamilies()) {
      if (IpFamily.fromKubernetesName(name).orElse(null) == family) return true;
    }
    return false;
  }

  private static IpFamily familyOf(String ip) {
    return IpAddress.parse(ip, Syntax.KUBERNETES).map(a -> a.unmap().family()).orElse(null);
  }

  /** Order-sensitive equality; null counts as empty. */
  public static boolean sameIngress(List<IngressInfo> a, List<IngressInfo> b) {
    return Objects.equals(a == null ? List.of() : a, b == null ? List.of() : b);
  }

  /** "[1.2.3.4 5.6.7.8]" as in K3s's UpdatedLoadBalancer message. */
  public static String describe(List<IngressInfo> ingress) {
    List<String> parts = new ArrayList<>();
    if (ingress != null) {
      for (IngressInfo i : ingress) {
        parts.add(i.ip() != null && !i.ip().isEmpty() ? i.ip() : String.valueOf(i.hostname()));
      }
    }
    return "[" + String.join(" ", parts) + "]";
  }
}
