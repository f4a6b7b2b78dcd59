package io.netsvc.actors.netpol.model;

import java.util.Arrays;
import java.util.List;

/**
 * An IP network: the address masked to its prefix (host bits cleared, as Go's {@code ParseCIDR}
 * does and as the kernel stores it). Immutable.
 */
public final class Cidr {
  private final byte[] addr;
  private final int prefix;

  private Cidr(byte[] addr, int prefix) {
    this.addr = addr;
    this.prefix = prefix;
  }

  /** {@code a.b.c.d/n} or {@code x::/n}; null when malformed. A bare address is not a CIDR. */
  public static Cidr parse(String s) {
    if (s == null) return null;
    String t = s.trim();
    int slash = t.indexOf('/');
    if (slash < 0) return null;
    byte[] a = IpText.parse(t.substring(0, slash));
    if (a == null) return null;
    String bits = t.substring(slash + 1);
    if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int p = Integer.parseInt(bits);
    if (p > a.length * 8) return null;
    return new Cidr(mask(a, p), p);
  }

  /** The network of one host address ({@code /32} or {@code /128}); null when not an address. */
  public static Cidr host(String ip) {
    byte[] a = IpText.parse(ip);
    return a == null ? null : new Cidr(a, a.length * 8);
  }

  private static byte[] mask(byte[] a, int p) {
    byte[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, p - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  public IpFamily family() {
    return addr.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  public int prefix() {
    return prefix;
  }

  /** True for {@code 0.0.0.0/0} and {@code ::/0}. */
  public boolean isAll() {
    return prefix == 0;
  }

  /** Whether {@code other} lies inside this network (same family; equal counts as inside). */
  public boolean contains(Cidr other) {
    if (other.addr.length != addr.length || other.prefix < prefix) return false;
    return Arrays.equals(mask(other.addr, prefix), addr);
  }

  /** Whether the address literal {@code ip} lies inside this network. */
  public boolean containsIp(String ip) {
    Cidr h = host(ip);
    return h != null && contains(h);
  }

  /**
   * The two halves of this network ({@code 0.0.0.0/0} gives {@code 0.0.0.0/1} and {@code
   * 128.0.0.0/1}). ipset's hash:net cannot hold a {@code /0}; for IPv6 the halves {@code ::/1} and
   * {@code 8000::/1} cover every address (kube-router's {@code 2000::/3 + fd00::/8} does not: D6).
   */
  public List<Cidr> halves() {
    if (prefix >= addr.length * 8) return List.of(this);
    byte[] high = addr.clone();
    high[prefix / 8] |= (byte) (0x80 >>> (prefix % 8));
    return List.of(new Cidr(addr, prefix + 1), new Cidr(high, prefix + 1));
  }

  /** {@code net/prefix}, the network address in canonical form. */
  public String text() {
    return IpText.format(addr) + "/" + prefix;
  }

  /** As ipset prints a hash:net entry: a full-length prefix is a bare address. */
  public String ipsetText() {
    return prefix == addr.length * 8 ? IpText.format(addr) : text();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.addr, addr);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(addr) * 31 + prefix;
  }

  @Override
  public String toString() {
    return text();
  }
}
