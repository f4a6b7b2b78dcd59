package io.netsvc.config;

import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for DNS names and host:port, done by hand because java.net.InetAddress may resolve
 * anything that is not a literal through DNS. IP literals are {@link IpAddress}es.
 */
final class HostNames {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private HostNames() {}

  /** RFC 1123 label as Kubernetes checks it (namespaces): lower-case, at most 63 characters. */
  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** RFC 1123 subdomain as Kubernetes checks it (node names): at most 253 characters. */
  static boolean isDnsSubdomain(String s) {
    return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
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
      String v6 =
          ipv6(inner)
              .orElseThrow(
                  () -> new IllegalArgumentException("'" + inner + "' is not an IPv6 address"));
      return bracketed ? "[" + v6 + "]" : v6;
    }
    if (host.indexOf(':') >= 0) {
      Optional<String> v6 = ipv6(host);
      if (v6.isEmpty() || bracketed) {
        throw new IllegalArgumentException(
            bracketed ? "write an IPv6 host in brackets, e.g. [fd00::1]:25520" : "not an address");
      }
      return v6.get();
    }
    Optional<IpAddress> v4 = IpAddress.parse(host, Syntax.GO);
    if (v4.isPresent()) {
      return v4.get().toString();
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (host.matches("[0-9.]+") || !isDnsSubdomain(lower)) {
      throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
    }
    return lower;
  }

  private static Optional<String> ipv6(String s) {
    return IpAddress.parse(s, Syntax.GO)
        .filter(a -> a.family() == IpFamily.IPV6)
        .map(IpAddress::toString);
  }
}
