package io.netsvc.config.ip;

import io.netsvc.config.ip.IpAddress.Syntax;
import java.util.Arrays;

/**
 * The scanner behind {@link IpAddress#parse}: the loop of Go's {@code parseIPv4}/{@code parseIPv6}
 * (the same in Go 1.16 and in {@code net/netip}), with the two field rules of {@link Syntax}. Only
 * ASCII digits count, as in Go; {@code Character.digit} would also take e.g. fullwidth ones.
 */
final class LiteralParser {
  private LiteralParser() {}

  /** 4 bytes for dotted IPv4, 16 for IPv6, null when {@code s} is neither. */
  static byte[] parse(String s, Syntax syntax) {
    if (s == null || s.isEmpty()) return null;
    // Go picks the parser by the first '.' or ':'; "a colon anywhere" gives the same answers,
    // since a dotted quad holds no colon and an IPv6 literal's dotted tail comes last
    return s.indexOf(':') >= 0 ? v6(s, syntax) : v4(s, 0, s.length(), syntax);
  }

  /** The dotted quad {@code s[from, to)}, or null. */
  private static byte[] v4(String s, int from, int to, Syntax syntax) {
    byte[] out = new byte[4];
    int pos = from;
    for (int field = 0; field < 4; field++) {
      if (field > 0) {
        if (pos >= to || s.charAt(pos) != '.') return null;
        pos++;
      }
      int start = pos;
      int value = 0;
      while (pos < to && isDigit(s.charAt(pos))) {
        value = value * 10 + (s.charAt(pos) - '0');
        if (value > 255) return null;
        pos++;
      }
      if (pos == start) return null;
      // Go 1.17+ refuses "010": other parsers (inet_aton) read it as octal 8
      if (syntax == Syntax.GO && pos - start > 1 && s.charAt(start) == '0') return null;
      out[field] = (byte) value;
    }
    return pos == to ? out : null;
  }

  private static byte[] v6(String s, Syntax syntax) {
    byte[] ip = new byte[16];
    int n = s.length();
    int pos = 0;
    int i = 0; // bytes filled
    int ellipsis = -1; // where "::" stands, in bytes
    if (s.startsWith("::")) {
      ellipsis = 0;
      pos = 2;
      if (pos == n) return ip;
    }
    while (i < 16) {
      int start = pos;
      int value = 0;
      while (pos < n && hex(s.charAt(pos)) >= 0) {
        value = value * 16 + hex(s.charAt(pos));
        pos++;
        if (syntax == Syntax.GO ? pos - start > 4 : value > 0xFFFF) return null;
      }
      if (pos == start) return null;
      if (pos < n && s.charAt(pos) == '.') { // an IPv4 tail: only as the last 32 bits
        if ((ellipsis < 0 && i != 12) || i + 4 > 16) return null;
        byte[] v4 = v4(s, start, n, syntax);
        if (v4 == null) return null;
        System.arraycopy(v4, 0, ip, i, 4);
        i += 4;
        pos = n;
        break;
      }
      ip[i] = (byte) (value >> 8);
      ip[i + 1] = (byte) value;
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

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
