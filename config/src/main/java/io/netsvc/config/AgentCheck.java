package io.netsvc.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which registering agent a NodeActor believes when it claims to be a node's agent (its claim
 * becomes the node's address annotations, and so the LoadBalancer IPs). docs/architecture.md
 * ("Agent identity") explains the check and its limits.
 */
public enum AgentCheck {
  /**
   * The agent's cluster (Artery) address host must be one of the Node's addresses as the Kubernetes
   * API shows them: true for an agent in a hostNetwork DaemonSet pod. The default of {@code netsvc
   * server}.
   */
  NODE_ADDRESS("node-address"),
  /**
   * Every registration is believed. For {@code netsvc sim}, whose one process hosts the agents of
   * all simulated nodes on its own address, and for servers joining it; a WARN line at start says
   * so.
   */
  OFF("off");

  private final String flagValue;

  AgentCheck(String flagValue) {
    this.flagValue = flagValue;
  }

  /** As typed after {@code --agent-check}. */
  public String flagValue() {
    return flagValue;
  }

  static Optional<AgentCheck> ofFlagValue(String value) {
    return Arrays.stream(values()).filter(c -> c.flagValue.equals(value)).findFirst();
  }
}
