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

  /** Which pods a named port is looked up on, and which of their IPs count. */
  interface Universe {
    /** Candidate pods exposing {@code name} (each checked per family with {@link #admits}). */
    List<NetpolPod> exposing(String name);

    boolean admits(NetpolPod pod, IpFamily family, String ip);
  }

  /** Numeric entries and named groups; both empty with {@code ports} non-empty: nothing. */
  record Result(List<PortMatch> ports, List<NamedGroup> named) {}

  private PortResolver() {}

  static Result resolve(List<Port> ports, Universe universe, String where, List<String> problems) {
    Set<PortMatch> numeric = new LinkedHashSet<>();
    Map<String, Map<Integer, Set<String>[]>> named = new TreeMap<>();
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
        collect(p.port(), proto, universe, named);
      }
    }
    List<NamedGroup> groups = new ArrayList<>();
    named.forEach(
        (proto, byPort) ->
            byPort.forEach(
                (port, ips) -> {
                  FamilyIps pods = new FamilyIps(List.copyOf(ips[0]), List.copyOf(ips[1]));
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

  @SuppressWarnings("unchecked")
  private static void collect(
      String name,
      String proto,
      Universe universe,
      Map<String, Map<Integer, Set<String>[]>> named) {
    for (NetpolPod pod : universe.exposing(name)) {
      for (NetpolPod.NamedPort np : pod.namedPorts()) {
        if (!name.equals(np.name()) || !proto.equals(protocol(np.protocol()))) continue;
        if (np.port() < 1 || np.port() > 65535) continue;
        boolean v4 = pod.ipv4() != null && universe.admits(pod, IpFamily.IPV4, pod.ipv4());
        boolean v6 = pod.ipv6() != null && universe.admits(pod, IpFamily.IPV6, pod.ipv6());
        if (!v4 && !v6) continue;
        Set<String>[] ips =
            named
                .computeIfAbsent(proto, k -> new TreeMap<>())
                .computeIfAbsent(np.port(), k -> new Set[] {new TreeSet<>(), new TreeSet<>()});
        if (v4) ips[0].add(pod.ipv4());
        if (v6) ips[1].add(pod.ipv6());
      }
    }
  }
}
