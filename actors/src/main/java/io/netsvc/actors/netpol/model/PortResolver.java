package io.netsvc.actors.netpol.model;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code ports} of one rule: numbers and ranges as they are, names resolved to (protocol,
 * number) groups of the pods that expose them. A port entry the API server would refuse is a
 * problem and allows nothing; a name no pod exposes is not a problem and allows nothing.
 */
final class PortResolver {
  private static final Pattern SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

  /**
   * Which IPs of the pods that expose a named port count: a pod's IP of each family is checked on
   * its own.
   */
  @FunctionalInterface
  interface Universe {
    boolean admits(NetpolPod pod, IpFamily family, String ip);
  }

  /** The IPs, per family, of the pods exposing one (protocol, number). */
  private record Ips(Set<String> v4, Set<String> v6) {
    Ips() {
      this(new TreeSet<>(), new TreeSet<>());
    }
  }

  /** Numeric entries and named groups; both empty with {@code ports} non-empty: nothing. */
  record Result(List<PortMatch> ports, List<NamedGroup> named) {}

  private PortResolver() {}

  /** {@code view} gives the pods exposing a name; {@code universe} which of their IPs count. */
  static Result resolve(
      List<Port> ports, ClusterView view, Universe universe, String where, List<String> problems) {
    Set<PortMatch> numeric = new LinkedHashSet<>();
    Map<String, Map<Integer, Ips>> named = new TreeMap<>();
    for (int j = 0; j < ports.size(); j++) {
      Port p = ports.get(j);
      String w = where + " port " + j;
      String proto = protocol(p.protocol());
      if (proto == null) {
        problems.add(w + ": unsupported protocol \"" + p.protocol() + "\"");
        continue;
      }
      if (p.port() == null || p.port().isEmpty()) {
        if (p.endPort() != null) problems.add(w + ": endPort without port");
        else numeric.add(new PortMatch(proto, 0, 0));
      } else if (p.port().chars().allMatch(Character::isDigit)) {
        PortMatch m = number(proto, p.port(), p.endPort(), w, problems);
        if (m != null) numeric.add(m);
      } else if (p.endPort() != null) {
        problems.add(w + ": endPort with the named port \"" + p.port() + "\"");
      } else if (!validName(p.port())) {
        problems.add(w + ": invalid port name \"" + p.port() + "\"");
      } else {
        collect(p.port(), proto, view, universe, named);
      }
    }
    List<NamedGroup> groups = new ArrayList<>();
    named.forEach(
        (proto, byPort) ->
            byPort.forEach(
                (port, ips) -> {
                  FamilyIps pods = new FamilyIps(List.copyOf(ips.v4()), List.copyOf(ips.v6()));
                  groups.add(new NamedGroup(proto, port, pods));
                }));
    groups.sort(Comparator.comparing(NamedGroup::protocol).thenComparing(NamedGroup::port));
    return new Result(List.copyOf(numeric), List.copyOf(groups));
  }

  /** IANA_SVC_NAME as the API validates it: 1-15 of [a-z0-9-], a letter, no "--" or edge "-". */
  static boolean validName(String n) {
    return SVC_NAME.matcher(n).matches()
        && n.chars().anyMatch(Character::isLetter)
        && !n.contains("--");
  }

  /** {@code tcp}/{@code udp}/{@code sctp}; an absent protocol is TCP, as the API defaults it. */
  static String protocol(String raw) {
    if (raw == null || raw.isEmpty()) return "tcp";
    // the API's own spellings first: this runs once per named port of every exposing pod
    switch (raw) {
      case "TCP":
        return "tcp";
      case "UDP":
        return "udp";
      case "SCTP":
        return "sctp";
      default:
        break;
    }
    String p = raw.toLowerCase(Locale.ROOT);
    return p.equals("tcp") || p.equals("udp") || p.equals("sctp") ? p : null;
  }

  private static PortMatch number(
      String proto, String text, Integer endPort, String w, List<String> problems) {
    int n = text.length() > 5 ? -1 : Integer.parseInt(text);
    if (n < 1 || n > 65535) {
      problems.add(w + ": port " + text + " out of range 1-65535");
      return null;
    }
    if (endPort == null) return new PortMatch(proto, n, n);
    if (endPort < n || endPort > 65535) {
      // kube-router silently narrows to `port` (D12); the range is empty, so it allows nothing
      problems.add(w + ": endPort " + endPort + " is not in " + n + "-65535");
      return null;
    }
    return new PortMatch(proto, n, endPort);
  }

  private static void collect(
      String name,
      String proto,
      ClusterView view,
      Universe universe,
      Map<String, Map<Integer, Ips>> named) {
    for (NetpolPod pod : view.exposing(name)) {
      for (NetpolPod.NamedPort np : pod.namedPorts()) {
        if (!name.equals(np.name()) || !proto.equals(protocol(np.protocol()))) continue;
        if (np.port() < 1 || np.port() > 65535) continue;
        boolean v4 = pod.ipv4() != null && universe.admits(pod, IpFamily.IPV4, pod.ipv4());
        boolean v6 = pod.ipv6() != null && universe.admits(pod, IpFamily.IPV6, pod.ipv6());
        if (!v4 && !v6) continue;
        Ips ips =
            named
                .computeIfAbsent(proto, k -> new TreeMap<>())
                .computeIfAbsent(np.port(), k -> new Ips());
        if (v4) ips.v4().add(pod.ipv4());
        if (v6) ips.v6().add(pod.ipv6());
      }
    }
  }
}
