package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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
    Set<IpFamily> families,
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
    Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
    for (String c : podCidrs) cidr(c).ifPresent(cidr -> families.add(cidr.family()));
    if (families.isEmpty()) families.add(IpFamily.IPV4);
    return new NetpolNode(name, families, podCidrs, List.of(), null);
  }

  /** The valid pod CIDRs of one family, normalised. */
  public List<String> podCidrs(IpFamily f) {
    return cidrs(podCidrs, f);
  }

  /** The valid service CIDRs of one family, normalised. */
  public List<String> serviceCidrs(IpFamily f) {
    return cidrs(serviceCidrs, f);
  }

  private static List<String> cidrs(List<String> in, IpFamily f) {
    return in.stream()
        .flatMap(c -> cidr(c).stream())
        .filter(c -> c.family() == f)
        .map(Cidr::toString)
        .distinct()
        .sorted()
        .toList();
  }

  /** A CIDR as the API server validated it ({@code ParseCIDRSloppy}); blanks are forgiven. */
  private static Optional<Cidr> cidr(String text) {
    return Cidr.parse(text.trim(), Syntax.KUBERNETES);
  }
}
