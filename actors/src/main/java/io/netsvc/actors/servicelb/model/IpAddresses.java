package io.netsvc.actors.servicelb.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Address family and canonical text of IP literals. */
public final class IpAddresses {
  private IpAddresses() {}

  public static boolean isIPv6(String ip) {
    return ip.contains(":");
  }

  /** IPv4 dotted; IPv6 lower-case with the longest run of zero groups compressed (RFC 5952). */
  static String format(InetAddress a) {
    if (!(a instanceof Inet6Address)) return a.getHostAddress();
    byte[] b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && !sb.toString().endsWith(":")) sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
