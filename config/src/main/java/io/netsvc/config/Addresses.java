package io.netsvc.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for IP literals, DNS names and host:port, done by hand because java.net.InetAddress
 * may resolve anything that is not a literal through DNS.
 */
final class Addresses {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private Addresses() {}

  /** RFC 1123 label as Kubernetes checks it (namespaces): lower-case, at most 63 characters. */
  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** RFC 1123 subdomain as Kubernetes checks it (node names): at most 253 characters. */
  static boolean isDnsSubdomain(String s) {
    return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /** The canonical text of an IPv4 or IPv6 literal (no zone), or empty if it is not one. */
  static Optional<String> canonicalIp(String s) {
    byte[] v4 = parseIPv4(s);
    if (v4 != null) {
      return Optional.of(s);
    }
    int[] v6 = parseIPv6(s);
    return v6 == null ? Optional.empty() : Optional.of(formatIPv6(v6));
  }

  static boolean isIPv6(String s) {
    return parseIPv6(s) != null;
  }

  /**
   * Validates "host:port" (host an IPv4 literal, a DNS name or a bracketed IPv6 literal; port
   * 1..65535) and returns it normalised.
   *
   * @throws IllegalArgumentException with the reason, for the caller's message
   */
  static String hostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected host:port");
    }
    String host = s.substring(0, colon);
    String port = s.substring(colon + 1);
    if (!port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("port must be a number between 1 and 65535");
    }
    return host(host, true) + ":" + Integer.parseInt(port);
  }

  /**
   * Validates a host: an IP literal or a DNS name; IPv6 in brackets when {@code bracketed}
   * (host:port), else with or without. Returns it normalised (IPv6 bracketed only if required).
   */
  static String host(String host, boolean bracketed) {
    if (host.startsWith("[") && host.endsWith("]")) {
      String inner = host.substring(1, host.length() - 1);
      int[] v6 = parseIPv6(inner);
      if (v6 == null) {
        throw new IllegalArgumentException("'" + inner + "' is not an IPv6 address");
      }
      return bracketed ? "[" + formatIPv6(v6) + "]" : formatIPv6(v6);
    }
    if (host.indexOf(':') >= 0) {
      int[] v6 = parseIPv6(host);
      if (v6 == null || bracketed) {
        throw new IllegalArgumentException(
            bracketed ? "write an IPv6 host in brackets, e.g. [fd00::1]:25520" : "not an address");
      }
      return formatIPv6(v6);
    }
    if (parseIPv4(host) != null) {
      return host;
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (host.matches("[0-9.]+") || !isDnsSubdomain(lower)) {
      throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
    }
    return lower;
  }

  private static byte[] parseIPv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      // leading zeros are rejected, as Go's net.ParseIP does (they read as octal elsewhere)
      if (!p.matches("[0-9]{1,3}") || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** Eight 16-bit groups, or null. Accepts "::" compression and a dotted IPv4 tail. */
  private static int[] parseIPv6(String s) {
    if (s.isEmpty() || s.indexOf('%') >= 0) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = gap < 0 ? groups(s, true) : groups(s.substring(0, gap), false);
    int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int total = head.length + tail.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] out = new int[8];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, 8 - tail.length, tail.length);
    return out;
  }

  private static int[] groups(String s, boolean mayEndWithIPv4) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] out = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && mayEndWithIPv4 && p.indexOf('.') >= 0) {
        byte[] v4 = parseIPv4(p);
        if (v4 == null) {
          return null;
        }
        out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
      } else if (HEX_GROUP.matcher(p).matches()) {
        out[n++] = Integer.parseInt(p, 16);
      } else {
        return null;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * RFC 5952: lower-case, no leading zeros, longest run (≥ 2) of zero groups as "::", mapped IPv4
   * dotted.
   */
  private static String formatIPv6(int[] g) {
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:"
          + (g[6] >> 8)
          + "."
          + (g[6] & 0xff)
          + "."
          + (g[7] >> 8)
          + "."
          + (g[7] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
