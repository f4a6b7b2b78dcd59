package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.ServiceInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code SRC_RANGES}: the Service's source ranges, normalised, sorted (K3s's order is random). */
public final class SourceRanges {
  private SourceRanges() {}

  public static final String ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

  public static String of(ServiceInfo s) {
    List<String> raw = new ArrayList<>(s.loadBalancerSourceRanges());
    if (raw.isEmpty()) {
      String a = s.annotations().get(ANNOTATION);
      if (a != null && !a.isBlank()) {
        for (String part : a.split(",")) raw.add(part.trim());
      }
    }
    if (raw.isEmpty()) raw.add("0.0.0.0/0");
    TreeSet<String> out = new TreeSet<>();
    for (String r : raw) out.add(normalise(r));
    String joined = String.join(",", out);
    if (joined.equals("0.0.0.0/0") && s.ipFamilies().contains("IPv6")) joined += ",::/0";
    return joined;
  }

  /** Like Go's {@code ipnet.String()}: the network address and prefix. */
  static String normalise(String cidr) {
    String c = cidr.trim();
    int slash = c.indexOf('/');
    try {
      if (slash < 0) throw new IllegalArgumentException("no prefix length");
      String ip = c.substring(0, slash);
      if (!ip.matches("[0-9a-fA-F:.]+")
          || !(ip.contains(":") || ip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
        throw new IllegalArgumentException("not an IP address");
      }
      byte[] addr = InetAddress.getByName(ip).getAddress();
      int bits = Integer.parseInt(c.substring(slash + 1));
      if (bits < 0 || bits > addr.length * 8) throw new IllegalArgumentException("bad prefix");
      for (int i = 0; i < addr.length; i++) {
        int keep = Math.max(0, Math.min(8, bits - i * 8));
        addr[i] = (byte) (addr[i] & (0xff << (8 - keep)));
      }
      return IpAddresses.format(InetAddress.getByAddress(addr)) + "/" + bits;
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "invalid load balancer source range \"" + cidr + "\": " + e.getMessage());
    }
  }
}
