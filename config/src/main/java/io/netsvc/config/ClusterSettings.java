package io.netsvc.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How this member joins the Pekko cluster. Ports of 0 mean "pick a free one" (the sim default).
 *
 * @param seedNodes "host:port" (IPv6 hosts in brackets), in the order given
 * @param tlsDir the directory with tls.crt, tls.key and ca.crt (checked at parse time) for Artery
 *     over mutually authenticated TLS; empty: plain TCP
 * @param agentCheck which agent this member's NodeActors believe
 * @param discovery how this member finds its cluster: {@code seedNodes}, or the Kubernetes API
 */
public record ClusterSettings(
    String bindAddress,
    int clusterPort,
    List<String> seedNodes,
    int managementPort,
    String systemName,
    Optional<Path> tlsDir,
    AgentCheck agentCheck,
    Discovery discovery) {

  public ClusterSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    seedNodes = List.copyOf(seedNodes);
    Objects.requireNonNull(systemName, "systemName");
    Objects.requireNonNull(tlsDir, "tlsDir");
    Objects.requireNonNull(agentCheck, "agentCheck");
    Objects.requireNonNull(discovery, "discovery");
  }
}
