package io.netsvc.config;

import java.util.List;
import java.util.Objects;

/**
 * What the packaged manifests are rendered with: {@code --cluster-dns} (validated IP literals,
 * canonical form), {@code --cluster-domain} and {@code --system-default-registry} ("" = none).
 */
public record DeploySettings(
    List<String> clusterDns, String clusterDomain, String systemDefaultRegistry) {

  /** K3s's defaults. */
  public static final DeploySettings DEFAULTS =
      new DeploySettings(List.of("10.43.0.10"), "cluster.local", "");

  public DeploySettings {
    clusterDns = List.copyOf(clusterDns);
    if (clusterDns.isEmpty()) throw new IllegalArgumentException("clusterDns is empty");
    Objects.requireNonNull(clusterDomain, "clusterDomain");
    Objects.requireNonNull(systemDefaultRegistry, "systemDefaultRegistry");
  }
}
