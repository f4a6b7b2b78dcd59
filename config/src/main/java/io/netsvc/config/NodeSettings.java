package io.netsvc.config;

import java.util.List;
import java.util.Objects;

/**
 * The node this member runs on. IP lists hold validated literals in canonical form (IPv6
 * lower-case, zeros compressed), in the order given.
 */
public record NodeSettings(
    String nodeName,
    List<String> nodeIPs,
    List<String> nodeExternalIPs,
    List<String> internalDns,
    List<String> externalDns) {

  public NodeSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    nodeIPs = List.copyOf(nodeIPs);
    nodeExternalIPs = List.copyOf(nodeExternalIPs);
    internalDns = List.copyOf(internalDns);
    externalDns = List.copyOf(externalDns);
  }

  /** A node with addresses and no DNS names. */
  public NodeSettings(String nodeName, List<String> nodeIPs, List<String> nodeExternalIPs) {
    this(nodeName, nodeIPs, nodeExternalIPs, List.of(), List.of());
  }
}
