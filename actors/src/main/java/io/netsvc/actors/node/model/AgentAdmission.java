package io.netsvc.actors.node.model;

import io.netsvc.config.AgentCheck;
import io.netsvc.k8s.records.NodeAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a NodeActor believes a registration that claims to come from its node's agent. What the
 * agent registers becomes the node's k3s.io address annotations, and so the IPs of every
 * LoadBalancer Service it serves: a member that could register for any node could redirect them.
 * Pekko does not tell an actor which certificate a message came with, so the claim is bound to
 * where the agent lives instead: in {@link AgentCheck#NODE_ADDRESS} mode the host of the agent's
 * cluster address must be one of the Node's addresses as the Kubernetes API shows them (a
 * hostNetwork DaemonSet agent's is the node's IP). docs/architecture.md, "Agent identity", has the
 * reasoning and the limits.
 */
public final class AgentAdmission {
  private AgentAdmission() {}

  /** The outcome of {@link #decide}. */
  public sealed interface Decision permits Accept, Refuse, Unknown {}

  public record Accept() implements Decision {}

  /** Not believed: the agent gets no answer, its claim is not used. */
  public record Refuse(String reason) implements Decision {}

  /**
   * The Node's addresses are not known yet (the NodeActor just started): not believed yet; the
   * agent registers again within seconds.
   */
  public record Unknown() implements Decision {}

  /**
   * @param agentHost the host of the agent's cluster address; empty for an agent in the NodeActor's
   *     own member
   * @param nodeAddresses the Node's {@code status.addresses}, null while the Node is not known
   */
  public static Decision decide(
      AgentCheck check, Optional<String> agentHost, List<NodeAddress> nodeAddresses) {
    if (check == AgentCheck.OFF) return new Accept();
    if (agentHost.isEmpty()) {
      // production controllers host no agents: a local reference is someone else's actor
      return new Refuse("the agent is in the controller's own member, not on the node");
    }
    if (nodeAddresses == null) return new Unknown();
    String host = normal(agentHost.get());
    for (NodeAddress a : nodeAddresses) {
      if (host.equals(normal(a.address()))) return new Accept();
    }
    return new Refuse(
        "its cluster address "
            + agentHost.get()
            + " is not one of the node's addresses "
            + nodeAddresses.stream().map(NodeAddress::address).toList());
  }

  /** IP literals in one spelling (IPv6 without brackets, uncompressed), names in lower case. */
  static String normal(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    if (h.contains(":") && h.matches("[0-9a-f:.]+")) {
      try {
        // a literal: no name lookup happens
        return InetAddress.getByName(h).getHostAddress();
      } catch (UnknownHostException e) {
        return h;
      }
    }
    return h;
  }
}
