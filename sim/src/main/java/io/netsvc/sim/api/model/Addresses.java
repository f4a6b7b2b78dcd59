package io.netsvc.sim.api.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address and CIDR checks without name resolution (only literals are parsed). */
public final class Addresses {
  private Addresses() {}

  private static final Pattern V4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  public static boolean isIPv4(String s) {
    return V4.matcher(s).matches();
  }

  public static boolean isIPv6(String s) {
    if (!s.contains(":") || !V6_CHARS.matcher(s).matches()) return false;
    try {
      return InetAddress.getByName(s).getAddress().length == 16;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public static boolean isIP(String s) {
    return isIPv4(s) || isIPv6(s);
  }

  public static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) return false;
    String ip = s.substring(0, slash);
    int bits;
    try {
      bits = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (isIPv4(ip)) return bits >= 0 && bits <= 32;
    return isIPv6(ip) && bits >= 0 && bits <= 128;
  }

  /** True when {@code inner} is a CIDR strictly inside {@code outer} (both valid). */
  static boolean strictSubset(String inner, String outer) {
    int a = Integer.parseInt(inner.substring(inner.indexOf('/') + 1));
    int b = Integer.parseInt(outer.substring(outer.indexOf('/') + 1));
    String ia = inner.substring(0, inner.indexOf('/'));
    String ib = outer.substring(0, outer.indexOf('/'));
    if (isIPv4(ia) != isIPv4(ib) || a <= b) return false;
    BigInteger x = number(ia);
    BigInteger y = number(ib);
    int width = isIPv4(ia) ? 32 : 128;
    return x.shiftRight(width - b).equals(y.shiftRight(width - b));
  }

  public static BigInteger number(String ip) {
    try {
      return new BigInteger(1, InetAddress.getByName(ip).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
