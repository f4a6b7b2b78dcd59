package io.netsvc.actors.servicelb.model;

import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code SRC_RANGES} of the svclb containers, as K3s's {@code newDaemonSet} derives it from
 * upstream {@code GetLoadBalancerSourceRanges}: {@code spec.loadBalancerSourceRanges}, else the
 * {@code service.beta.kubernetes.io/load-balancer-source-ranges} annotation (comma list), else
 * {@code 0.0.0.0/0} (plus {@code ::/0} for an IPv6 Service). Each range is normalised like Go's
 * {@code ipnet.String()}. netsvc deviation (docs/differences.md, S6): K3s joins in Go map order,
 * which is random and can roll the svclb pods for nothing; netsvc sorts and de-duplicates.
 */
public final class SourceRanges {
  private SourceRanges() {}

  public static final String ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

  /**
   * @throws IllegalArgumentException {@code invalid load balancer source range "x": why}
   */
  public static String of(ServiceInfo s) {
    List<String> raw = new ArrayList<>(s.loadBalancerSourceRanges());
    if (raw.isEmpty()) {
      String a = s.annotations().get(ANNOTATION);
      // -1 keeps empty entries ("10.0.0.0/8,"), which upstream rejects too
      if (a != null && !a.isBlank()) raw.addAll(List.of(a.trim().split(",", -1)));
    }
    if (raw.isEmpty()) raw.add("0.0.0.0/0");
    TreeSet<String> out = new TreeSet<>();
    for (String r : raw) out.add(normalise(r));
    String joined = String.join(",", out);
    // K3s: the upstream default only covers IPv4, so an IPv6 Service also gets ::/0
    if (joined.equals("0.0.0.0/0") && s.ipFamilies().contains(IpFamily.IPV6.kubernetesName()))
      joined += ",::/0";
    return joined;
  }

  /**
   * Like Go's {@code ParseCIDRSloppy} + {@code ipnet.String()}: network address and prefix length,
   * an IPv4-mapped network (only possible with a prefix of 96 or more) printed as the IPv4 one. The
   * address text is {@link io.netsvc.config.ip.IpAddress}'s, which is Go's but for the deprecated
   * IPv4-compatible range: {@code ::1.2.3.4/128} stays so where Go prints {@code ::102:304/128}
   * (the same network to the svclb pod's iptables).
   */
  static String normalise(String cidr) {
    String c = cidr == null ? "" : cidr.trim();
    try {
      return Cidr.parseOrThrow(c, Syntax.KUBERNETES).unmap().toString();
    } catch (IllegalArgumentException e) {
      throw invalid(c, e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String cidr, String why) {
    return new IllegalArgumentException(
        "invalid load balancer source range \"" + cidr + "\": " + why);
  }
}
