package io.netsvc.config;

import java.util.List;
import java.util.Objects;

/**
 * How this member joins the Pekko cluster. Ports of 0 mean "pick a free one" (the sim default).
 *
 * @param seedNodes "host:port" (IPv6 hosts in brackets), in the order given
 */
public record ClusterSettings(
    String bindAddress,
    int clusterPort,
    List<String> seedNodes,
    int managementPort,
    String systemName) {

  public ClusterSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    seedNodes = List.copyOf(seedNodes);
    Objects.requireNonNull(systemName, "systemName");
  }
}
