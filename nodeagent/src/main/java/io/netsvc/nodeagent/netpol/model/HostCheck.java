package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Whether this host can enforce NetworkPolicies, decided from probed facts before anything starts:
 * a node that would run without its rules must say so at once, not log a failure every second while
 * policies look applied.
 */
public final class HostCheck {
  private HostCheck() {}

  /** {@code CAP_NET_ADMIN}: iptables, ipset and the netfilter tables. */
  public static final int CAP_NET_ADMIN = 12;

  /** {@code CAP_NET_RAW}: iptables-legacy talks to the kernel through a raw socket. */
  public static final int CAP_NET_RAW = 13;

  /** The tools a node's agent runs. */
  public static final List<String> AGENT_TOOLS = List.of("iptables", "ipset");

  /** The network lab also builds namespaces and links with {@code ip}. */
  public static final List<String> LAB_TOOLS = List.of("iptables", "ipset", "ip");

  private static final Map<String, String> PACKAGES =
      Map.of("iptables", "iptables", "ipset", "ipset", "ip", "iproute2");

  /**
   * What was probed on this host.
   *
   * @param found the tool names found on the search path
   * @param euid the effective user id
   * @param capEff the effective capability bits ({@code CapEff} in {@code /proc/self/status}),
   *     empty where the kernel does not tell
   */
  public record Facts(Set<String> found, int euid, OptionalLong capEff) {
    public Facts {
      found = Set.copyOf(found);
    }
  }

  /** The one line that says what is missing, or empty when the host can enforce policies. */
  public static Optional<String> problem(List<String> tools, Facts facts) {
    List<String> missing = tools.stream().filter(t -> !facts.found().contains(t)).toList();
    if (!missing.isEmpty()) {
      List<String> packages =
          missing.stream().map(t -> PACKAGES.getOrDefault(t, t)).distinct().toList();
      return Optional.of(
          String.join(", ", missing)
              + " not found in PATH; install "
              + String.join(" and ", packages));
    }
    if (facts.euid() != 0) {
      return Optional.of("network policy needs root (running as uid " + facts.euid() + ")");
    }
    if (facts.capEff().isPresent()) {
      List<String> lacking = new ArrayList<>();
      long caps = facts.capEff().getAsLong();
      if (!has(caps, CAP_NET_ADMIN)) lacking.add("CAP_NET_ADMIN");
      if (!has(caps, CAP_NET_RAW)) lacking.add("CAP_NET_RAW");
      if (!lacking.isEmpty()) {
        return Optional.of(
            "network policy needs "
                + String.join(" and ", lacking)
                + " (effective capabilities "
                + String.format("%016x", caps)
                + "; a container needs them added)");
      }
    }
    return Optional.empty();
  }

  /** The {@code CapEff} bits of a {@code /proc/<pid>/status} text; empty when it has none. */
  public static OptionalLong capEff(String procStatus) {
    for (String line : procStatus.split("\n")) {
      if (!line.startsWith("CapEff:")) continue;
      try {
        return OptionalLong.of(Long.parseUnsignedLong(line.substring(7).strip(), 16));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  private static boolean has(long caps, int bit) {
    return (caps & (1L << bit)) != 0;
  }
}
