package io.netsvc.config.ip;

import io.netsvc.config.ip.IpAddress.Syntax;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An IP network: an address masked to its prefix, host bits cleared, as Go's {@code ParseCIDR}
 * returns it and as the kernel stores it. Immutable. The network keeps its address's form, so
 * {@code ::ffff:10.1.2.0/120} is an IPv6 network (as ipset and ip6tables take it) until {@link
 * #unmap()}ped; its text is {@link IpAddress#toString()}'s, then {@code /prefix}.
 */
public final class Cidr {
  private final IpAddress address;
  private final int prefix;

  private Cidr(IpAddress address, int prefix) {
    this.address = address;
    this.prefix = prefix;
  }

  /**
   * {@code address/prefix} like Go's {@code ParseCIDR} ({@code ParseCIDRSloppy} for {@link
   * Syntax#KUBERNETES}): the address in {@code syntax}, the prefix ASCII decimal digits up to the
   * family's bit length (leading zeros allowed, as Go's {@code dtoi} allows them). A bare address
   * is not a CIDR; blanks are not trimmed.
   */
  public static Optional<Cidr> parse(String text, Syntax syntax) {
    return Optional.ofNullable(read(text, syntax, false));
  }

  /**
   * As {@link #parse}, for a caller that reports why the text is not a CIDR.
   *
   * @throws IllegalArgumentException "missing prefix length", "not an IP address" or "prefix length
   *     must be 0-32" (0-128 for IPv6)
   */
  public static Cidr parseOrThrow(String text, Syntax syntax) {
    return read(text, syntax, true);
  }

  private static Cidr read(String s, Syntax syntax, boolean orThrow) {
    int slash = s == null ? -1 : s.indexOf('/');
    if (slash < 0) return fail(orThrow, "missing prefix length");
    Optional<IpAddress> a = IpAddress.parse(s.substring(0, slash), syntax);
    if (a.isEmpty()) return fail(orThrow, "not an IP address");
    int bits = a.get().family().bits();
    int prefix = 0;
    for (int i = slash + 1; i < s.length() && prefix <= bits; i++) {
      char c = s.charAt(i);
      prefix = c >= '0' && c <= '9' ? prefix * 10 + (c - '0') : bits + 1;
    }
    if (slash + 1 == s.length() || prefix > bits) {
      return fail(orThrow, "prefix length must be 0-" + bits);
    }
    return of(a.get(), prefix);
  }

  private static Cidr fail(boolean orThrow, String why) {
    if (orThrow) throw new IllegalArgumentException(why);
    return null;
  }

  /**
   * The network of {@code address} with {@code prefix} bits (host bits cleared).
   *
   * @throws IllegalArgumentException when the prefix is not 0 to the family's bit length
   */
  public static Cidr of(IpAddress address, int prefix) {
    byte[] a = address.raw();
    if (prefix < 0 || prefix > a.length * 8) {
      throw new IllegalArgumentException("prefix length must be 0-" + a.length * 8);
    }
    byte[] masked = mask(a, prefix);
    return new Cidr(masked == a ? address : IpAddress.owning(masked), prefix);
  }

  /** The network of one address: {@code /32} or {@code /128}. */
  public static Cidr host(IpAddress address) {
    return new Cidr(address, address.family().bits());
  }

  /** {@code a} with the bits past {@code prefix} cleared; {@code a} itself when none was set. */
  private static byte[] mask(byte[] a, int prefix) {
    byte[] out = null;
    for (int i = prefix / 8; i < a.length; i++) {
      int keep = Math.max(0, prefix - i * 8);
      byte b = (byte) (a[i] & (0xff << (8 - keep)));
      if (b != a[i]) {
        if (out == null) out = a.clone();
        out[i] = b;
      }
    }
    return out == null ? a : out;
  }

  /** The network address. */
  public IpAddress address() {
    return address;
  }

  public int prefix() {
    return prefix;
  }

  public IpFamily family() {
    return address.family();
  }

  /** True for {@code 0.0.0.0/0} and {@code ::/0}. */
  public boolean isAll() {
    return prefix == 0;
  }

  /** Whether {@code other} lies inside this network (same family; equal counts as inside). */
  public boolean contains(Cidr other) {
    return other.prefix >= prefix && contains(other.address);
  }

  /** Whether {@code ip} lies inside this network (same family). */
  public boolean contains(IpAddress ip) {
    return ip.family() == family() && Arrays.equals(mask(ip.raw(), prefix), address.raw());
  }

  /**
   * The two halves of this network ({@code 0.0.0.0/0} gives {@code 0.0.0.0/1} and {@code
   * 128.0.0.0/1}); a host network is its own only half. ipset's hash:net cannot hold a {@code /0};
   * for IPv6 the halves {@code ::/1} and {@code 8000::/1} cover every address, where kube-router's
   * {@code 2000::/3 + fd00::/8} misses e.g. {@code fc00::/8} and link-local ones.
   */
  public List<Cidr> halves() {
    byte[] a = address.raw();
    if (prefix >= a.length * 8) return List.of(this);
    byte[] high = a.clone();
    high[prefix / 8] |= (byte) (0x80 >>> (prefix % 8));
    return List.of(new Cidr(address, prefix + 1), new Cidr(IpAddress.owning(high), prefix + 1));
  }

  /**
   * This network as Go's {@code IPNet.String} sees it: an IPv4-mapped network (only possible with a
   * prefix of 96 or more) as the IPv4 one, {@code ::ffff:10.1.2.0/120} as {@code 10.1.2.0/24}; any
   * other network as it is.
   */
  public Cidr unmap() {
    return address.isIpv4Mapped() ? new Cidr(address.unmap(), prefix - 96) : this;
  }

  /** As ipset prints a hash:net entry: a full-length prefix is a bare address. */
  public String ipsetText() {
    return prefix == address.family().bits() ? address.toString() : toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && c.address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode() * 31 + prefix;
  }

  /** {@code network/prefix}, the network address in {@link IpAddress#toString()}'s form. */
  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
