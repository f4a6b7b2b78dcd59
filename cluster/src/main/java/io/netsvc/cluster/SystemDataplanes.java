package io.netsvc.cluster;

import io.netsvc.config.NodeSettings;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.HostProbe;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import io.netsvc.nodeagent.netpol.backend.SystemBackend;
import io.netsvc.nodeagent.netpol.model.HostCheck;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code netsvc agent}'s NetworkPolicy dataplane: this host's kernel through {@link SystemBackend}
 * (the iptables variant the host's {@code iptables} names, its {@code -w} lock). Checked before the
 * agent joins: a node that cannot program its rules must not look as if it enforced policies.
 */
final class SystemDataplanes {
  private SystemDataplanes() {}

  private static final String HINT = " (or start the agent with --disable-network-policy)";

  /**
   * The kernel dataplane for the agent of {@code node}, or a {@link StartupException} (exit 2)
   * naming what this host lacks: a tool, root, or CAP_NET_ADMIN/CAP_NET_RAW.
   */
  static AgentDataplanes checked(NodeSettings node) {
    Optional<String> problem = HostProbe.problem(HostCheck.AGENT_TOOLS);
    if (problem.isPresent()) throw refused(problem.get(), null);
    SystemBackend kernel = new SystemBackend();
    try {
      // resolves the variant's restore/save tools now, so none is found missing at the first apply
      kernel.ensureUsable();
    } catch (BackendException e) {
      throw refused(e.getMessage().replaceFirst("^netsvc: ", ""), e);
    }
    return of(kernel, node);
  }

  /**
   * The agent's dataplane over {@code backend}. No pod CIDRs of its own: the agent has no API
   * access, and its NodeActor sends the Node's {@code spec.podCIDRs} (from the member's informer
   * cache), from which the reject of not-yet-programmed pods is rendered once they are known.
   */
  static AgentDataplanes of(RulesBackend backend, NodeSettings node) {
    Set<IpFamily> families = families(node.nodeIPs());
    return new AgentDataplanes(
        name -> new RenderingDataplane(backend, families), name -> List.of());
  }

  /** IPv4 always; IPv6 too on a node that advertises an IPv6 address (dual-stack). */
  static Set<IpFamily> families(List<String> nodeIPs) {
    Set<IpFamily> out = EnumSet.of(IpFamily.IPV4);
    if (nodeIPs.stream().anyMatch(ip -> ip.contains(":"))) out.add(IpFamily.IPV6);
    return out;
  }

  private static StartupException refused(String why, Throwable cause) {
    return new StartupException("agent cannot enforce NetworkPolicies: " + why + HINT, cause, 2);
  }
}
