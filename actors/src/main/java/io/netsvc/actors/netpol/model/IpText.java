package io.netsvc.actors.netpol.model;

/**
 * IP literals as bytes and back. Text only (never resolves a name). Output is the form {@code ipset
 * save} and {@code iptables-save} print (glibc {@code inet_ntop}): IPv6 lower-case with the longest
 * run of two or more zero groups compressed, so our sets compare equal to what the kernel tools
 * show.
 */
public final class IpText {
  private IpText() {}

  /** 4 bytes for dotted IPv4, 16 for IPv6, null when {@code s} is not an IP literal. */
  public static byte[] parse(String s) {
    if (s == null || s.isEmpty()) return null;
    return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
  }

  /** The canonical text of a literal, or null when it is not one. */
  public static String canonical(String s) {
    byte[] b = parse(s);
    return b == null ? null : format(b);
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) return null;
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
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
    int[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
    int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) return null;
    int n = head.length + tail.length;
    if (gap < 0 ? n != 8 : n > 7) return null;
    byte[] out = new byte[16];
    for (int i = 0; i < head.length; i++) put(out, i, head[i]);
    for (int i = 0; i < tail.length; i++) put(out, 8 - tail.length + i, tail[i]);
    return out;
  }

  private static void put(byte[] out, int group, int v) {
    out[group * 2] = (byte) (v >> 8);
    out[group * 2 + 1] = (byte) v;
  }

  /** 16-bit groups of a colon list; an embedded IPv4 counts as two, and only at the very end. */
  private static int[] groups(String s, boolean mayEndInV4) {
    if (s.isEmpty()) return new int[0];
    String[] parts = s.split(":", -1);
    boolean v4 = mayEndInV4 && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (v4 ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (v4 && i == parts.length - 1) {
        byte[] b = parseV4(p);
        if (b == null) return null;
        out[i] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        out[i + 1] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return null;
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        int d = Character.digit(p.charAt(j), 16);
        if (d < 0) return null;
        v = v * 16 + d;
      }
      out[i] = v;
    }
    return out;
  }

  /** Dotted IPv4, or RFC 5952 IPv6 as glibc prints it (IPv4-mapped as {@code ::ffff:a.b.c.d}). */
  public static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + format(new byte[] {b[12], b[13], b[14], b[15]});
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) bestStart = -1;
    if (bestStart == 0 && bestLen == 6) { // glibc prints the deprecated IPv4-compatible form too
      return "::" + format(new byte[] {b[12], b[13], b[14], b[15]});
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
