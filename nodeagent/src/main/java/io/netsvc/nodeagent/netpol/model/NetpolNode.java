package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.Cidr;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The facts about one node that its ruleset depends on besides pods and policies.
 *
 * @param name the Node name (pods with this {@code nodeName} are local)
 * @param families the families this node renders (one filter table each)
 * @param podCidrs the node's pod CIDRs ({@code spec.podCIDRs}): traffic from or to them is rejected
 *     unless the pod's chain is programmed (D1); a family without one gets no such guard
 * @param serviceCidrs ClusterIP ranges: traffic to them is not judged in INPUT before DNAT
 *     (kube-router's head rules; empty for none)
 * @param nodePortRange e.g. {@code 30000:32767}: LOCAL node-port traffic is not judged in INPUT
 *     before DNAT; null for none
 */
public record NetpolNode(
    String name,
    Set<Family> families,
    List<String> podCidrs,
    List<String> serviceCidrs,
    String nodePortRange) {

  public NetpolNode {
    families =
        families.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(families)); // IPv4 first, always
    podCidrs = List.copyOf(podCidrs);
    serviceCidrs = serviceCidrs == null ? List.of() : List.copyOf(serviceCidrs);
    if (nodePortRange != null) nodePortRange = nodePortRange.replace('-', ':');
  }

  /**
   * A node whose families are those of its pod CIDRs (IPv4 when it has none), without service or
   * node-port exemptions.
   */
  public static NetpolNode of(String name, List<String> podCidrs) {
    Set<Family> families = EnumSet.noneOf(Family.class);
    for (String c : podCidrs) {
      Cidr cidr = Cidr.parse(c);
      if (cidr != null) families.add(Family.valueOf(cidr.family().name()));
    }
    if (families.isEmpty()) families.add(Family.IPV4);
    return new NetpolNode(name, families, podCidrs, List.of(), null);
  }

  /** The valid pod CIDRs of one family, normalised. */
  public List<String> podCidrs(Family f) {
    return cidrs(podCidrs, f);
  }

  /** The valid service CIDRs of one family, normalised. */
  public List<String> serviceCidrs(Family f) {
    return cidrs(serviceCidrs, f);
  }

  private static List<String> cidrs(List<String> in, Family f) {
    return in.stream()
        .map(Cidr::parse)
        .filter(c -> c != null && c.family().name().equals(f.name()))
        .map(Cidr::text)
        .distinct()
        .sorted()
        .toList();
  }
}
