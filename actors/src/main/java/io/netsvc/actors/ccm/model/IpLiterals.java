package io.netsvc.actors.ccm.model;

import java.util.Arrays;
import java.util.Comparator;

/**
 * IP literals read like Go's {@code net.ParseIP} (strict: no leading zeros in IPv4 parts, no zones)
 * into its 16-byte form, where IPv4 becomes {@code ::ffff:a.b.c.d}. Text only: never resolves a
 * name.
 */
final class IpLiterals {
  private static final byte[] NOT_AN_IP = new byte[0];

  private IpLiterals() {}

  /**
   * K3s's NodeHosts order: {@code bytes.Compare} of the 16-byte forms. So IPv4 sorts inside
   * ::ffff:0:0/96 — after {@code ::}, {@code ::1} and other ::/80 addresses, before every address
   * of 2000::/3, fc00::/7 and fe80::/10. Text that is not an IP sorts first (Go compares a nil
   * slice as empty). Go leaves ties in map order; the text breaks them here, for a stable file.
   */
  static final Comparator<String> K3S_ORDER =
      Comparator.<String, byte[]>comparing(IpLiterals::sixteenOrEmpty, Arrays::compareUnsigned)
          .thenComparing(Comparator.naturalOrder());

  private static byte[] sixteenOrEmpty(String s) {
    byte[] b = parse16(s);
    return b == null ? NOT_AN_IP : b;
  }

  /** 16 bytes (IPv4 mapped into IPv6), or null when {@code s} is not an IP literal. */
  static byte[] parse16(String s) {
    if (s == null || s.isEmpty()) return null;
    if (s.indexOf(':') >= 0) return parseV6(s);
    byte[] v4 = parseV4(s);
    if (v4 == null) return null;
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      // Go 1.17+ rejects leading zeros: "010" might mean octal
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') return null;
        v = v * 10 + (c - '0');
      }
      if (v > 255) return null;
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    byte[] ip = new byte[16];
    int n = s.length();
    int pos = 0;
    int i = 0;
    int ellipsis = -1;
    if (s.startsWith("::")) {
      ellipsis = 0;
      pos = 2;
      if (pos == n) return ip;
    }
    while (i < 16) {
      int start = pos;
      int acc = 0;
      while (pos < n && hex(s.charAt(pos)) >= 0) {
        if (pos - start > 3) return null; // at most 4 hex digits a group
        acc = acc * 16 + hex(s.charAt(pos));
        pos++;
      }
      if (pos == start) return null;
      if (pos < n && s.charAt(pos) == '.') { // embedded IPv4: only as the last 32 bits
        if ((ellipsis < 0 && i != 12) || i + 4 > 16) return null;
        byte[] v4 = parseV4(s.substring(start));
        if (v4 == null) return null;
        System.arraycopy(v4, 0, ip, i, 4);
        i += 4;
        pos = n;
        break;
      }
      ip[i] = (byte) (acc >> 8);
      ip[i + 1] = (byte) acc;
      i += 2;
      if (pos == n) break;
      if (s.charAt(pos) != ':' || pos + 1 == n) return null;
      pos++;
      if (s.charAt(pos) == ':') {
        if (ellipsis >= 0) return null;
        ellipsis = i;
        pos++;
        if (pos == n) break;
      }
      if (i == 16) return null;
    }
    if (pos != n) return null;
    if (i < 16) {
      if (ellipsis < 0) return null;
      int shift = 16 - i;
      System.arraycopy(ip, ellipsis, ip, ellipsis + shift, i - ellipsis);
      Arrays.fill(ip, ellipsis, ellipsis + shift, (byte) 0);
    } else if (ellipsis >= 0) {
      return null; // "::" must stand for at least one zero group
    }
    return ip;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
