package io.netsvc.actors.servicelb.model;

/**
 * IP literals parsed and printed like Go's {@code net} package (K8s's sloppy variant: IPv4 parts
 * may have leading zeros). Never resolves names: this is text processing only.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /** An IPv4 literal, or an IPv4-mapped IPv6 one (Go's {@code IsIPv4String}). */
  public static boolean isIPv4(String ip) {
    byte[] b = parse(ip);
    return b != null && (b.length == 4 || isMapped(b));
  }

  /** A valid IPv6 literal that is not IPv4-mapped (Go's {@code IsIPv6String}). */
  public static boolean isIPv6(String ip) {
    byte[] b = parse(ip);
    return b != null && b.length == 16 && !isMapped(b);
  }

  /** 4 bytes for a dotted IPv4 literal, 16 for IPv6, null when not an IP literal. */
  static byte[] parse(String s) {
    if (s == null || s.isEmpty()) return null;
    return s.indexOf(':') < 0 ? parseV4(s) : parseV6(s);
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = decimal(parts[i], 255);
      if (v < 0) return null;
      out[i] = (byte) v;
    }
    return out;
  }

  /** Digits only, value ≤ max; -1 otherwise. */
  static int decimal(String s, int max) {
    if (s.isEmpty()) return -1;
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
      if (v > max) return -1;
    }
    return v;
  }

  private static byte[] parseV6(String s) {
    int ellipsis = s.indexOf("::");
    if (ellipsis >= 0 && s.indexOf("::", ellipsis + 1) >= 0) return null;
    String head = ellipsis < 0 ? s : s.substring(0, ellipsis);
    String tail = ellipsis < 0 ? "" : s.substring(ellipsis + 2);
    int[] h = groups(head, ellipsis < 0); // Go: embedded IPv4 only at the very end
    int[] t = groups(tail, true);
    if (h == null || t == null) return null;
    int total = h.length + t.length;
    // "::" must stand for at least one zero group
    if (ellipsis < 0 ? total != 8 : total > 7) return null;
    int[] g = new int[8];
    System.arraycopy(h, 0, g, 0, h.length);
    System.arraycopy(t, 0, g, 8 - t.length, t.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (g[i] >> 8);
      out[2 * i + 1] = (byte) g[i];
    }
    return out;
  }

  /** Colon-separated hex groups; the last may be dotted IPv4 when {@code lastMayBeV4}. */
  private static int[] groups(String s, boolean lastMayBeV4) {
    if (s.isEmpty()) return new int[0];
    String[] parts = s.split(":", -1);
    int n = parts.length;
    boolean v4 = lastMayBeV4 && parts[n - 1].indexOf('.') >= 0;
    int[] out = new int[v4 ? n + 1 : n];
    for (int i = 0; i < n; i++) {
      if (i == n - 1 && v4) {
        byte[] b = parseV4(parts[i]);
        if (b == null) return null;
        out[i] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        out[i + 1] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        continue;
      }
      String p = parts[i];
      // like k8s.io/utils ParseIPSloppy: leading zeros allowed while the value fits 16 bits;
      // ASCII hex digits only
      if (p.isEmpty()) return null;
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
          return null;
        }
        v = v * 16 + Character.digit(c, 16);
        if (v > 0xFFFF) return null;
      }
      out[i] = v;
    }
    return out;
  }

  /** ::ffff:a.b.c.d */
  static boolean isMapped(byte[] b) {
    if (b.length != 16) return false;
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** IPv4 dotted; IPv6 lower-case with the longest run of zero groups compressed (RFC 5952). */
  static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
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
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
