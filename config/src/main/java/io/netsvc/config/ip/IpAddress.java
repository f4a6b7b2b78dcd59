package io.netsvc.config.ip;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address, read from text by hand: {@code java.net.InetAddress} may resolve
 * anything that is not a literal through DNS, and it does not read literals the way Go does.
 * Immutable. Like Go's {@code netip.Addr}, an address keeps the form its text had: 4 bytes for
 * dotted IPv4, 16 for IPv6, so {@code ::ffff:10.0.0.1} is an IPv6 address unequal to {@code
 * 10.0.0.1} until {@link #unmap()}ped.
 *
 * <p>{@link #toString()} is the one text form, the one {@code ipset save} and {@code iptables-save}
 * print (glibc's {@code inet_ntop}), so what netsvc writes compares equal to what the kernel tools
 * list back: IPv4 dotted; IPv6 as RFC 5952 recommends (lower case, no leading zeros, the longest
 * run of two or more zero groups as {@code ::}, the first one on a tie) with an IPv4-mapped address
 * as {@code ::ffff:a.b.c.d}. Go's {@code netip} prints the same, with one exception: glibc also
 * prints the deprecated IPv4-compatible addresses (the first 96 bits zero, e.g. {@code ::1.2.3.4})
 * with a dotted tail, where Go prints {@code ::102:304}. netsvc follows glibc there as the kernel
 * comparison needs it; it is the same address either way.
 */
public final class IpAddress {

  /** How text is read. Neither mode accepts a zone ({@code fe80::1%eth0}) or blanks. */
  public enum Syntax {
    /**
     * Go's {@code net.ParseIP} as of Go 1.17 (on {@code net/netip} since 1.22): an IPv4 field has
     * one to three decimal digits and no leading zero, an IPv6 group one to four hex digits. K3s
     * reads the addresses it sorts into NodeHosts this way, and netsvc its own flags and files.
     */
    GO,
    /**
     * {@code k8s.io/utils/net}'s {@code ParseIPSloppy}, Go 1.16's parser, which Kubernetes keeps
     * because objects stored before Go 1.17 may hold leading zeros: an IPv4 field may have leading
     * zeros (read as decimal, {@code 010} is 10), an IPv6 group any number of hex digits while its
     * value fits 16 bits. The API server validates addresses and CIDRs this way, and the Kubernetes
     * helpers K3s's ServiceLB and kube-router call ({@code IsIPv4String}, {@code ParseCIDRSloppy})
     * read them so: node addresses, source ranges, pod IPs, ipBlocks.
     */
    KUBERNETES
  }

  private final byte[] bytes;
  private String text; // computed on first use; a benign race, as String.hashCode's

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The address {@code text} spells in {@code syntax}, or empty when it spells none. */
  public static Optional<IpAddress> parse(String text, Syntax syntax) {
    byte[] b = LiteralParser.parse(text, syntax);
    return b == null ? Optional.empty() : Optional.of(new IpAddress(b));
  }

  /**
   * The address of 4 (IPv4) or 16 (IPv6) bytes in network order.
   *
   * @throws IllegalArgumentException for any other length
   */
  public static IpAddress fromBytes(byte[] bytes) {
    if (bytes.length != 4 && bytes.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
    return new IpAddress(bytes.clone());
  }

  /** Wraps bytes this package owns and will not change. */
  static IpAddress owning(byte[] bytes) {
    return new IpAddress(bytes);
  }

  /** The bytes without a copy, for this package only. */
  byte[] raw() {
    return bytes;
  }

  /** IPv4 for 4 bytes, IPv6 for 16, IPv4-mapped ones included (see {@link #unmap()}). */
  public IpFamily family() {
    return bytes.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /** Whether this is an IPv6 address of {@code ::ffff:0:0/96}, standing for an IPv4 one. */
  public boolean isIpv4Mapped() {
    if (bytes.length != 16) return false;
    for (int i = 0; i < 10; i++) if (bytes[i] != 0) return false;
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  /**
   * The IPv4 address an IPv4-mapped one stands for, else this one (Go's {@code Addr.Unmap}).
   * Kubernetes's {@code IsIPv4String} counts {@code ::ffff:10.0.0.1} as IPv4: it is {@code
   * unmap().family()}.
   */
  public IpAddress unmap() {
    return isIpv4Mapped() ? new IpAddress(Arrays.copyOfRange(bytes, 12, 16)) : this;
  }

  /** A copy of the 4 or 16 bytes, in network order. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The 16-byte form Go's {@code net.ParseIP} returns: IPv4 as {@code ::ffff:a.b.c.d}. K3s sorts
   * NodeHosts by these bytes.
   */
  public byte[] to16() {
    if (bytes.length == 16) return bytes.clone();
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(bytes, 0, out, 12, 4);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && Arrays.equals(a.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The canonical text; see the class comment. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = format(bytes);
      text = t;
    }
    return t;
  }

  private static String format(byte[] b) {
    if (b.length == 4) return dotted(b, 0);
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + dotted(b, 12);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is never compressed
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart == 0 && bestLen == 6) return "::" + dotted(b, 12); // glibc's IPv4-compatible
    StringBuilder sb = new StringBuilder(39);
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

  private static String dotted(byte[] b, int at) {
    return (b[at] & 0xff)
        + "."
        + (b[at + 1] & 0xff)
        + "."
        + (b[at + 2] & 0xff)
        + "."
        + (b[at + 3] & 0xff);
  }
}
