package io.netsvc.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Everything {@code netsvc server|agent|sim} was told on its command line and config file. */
public record Settings(
    Mode mode,
    Set<Component> disabled,
    String servicelbNamespace,
    Optional<Path> kubeconfig,
    ClusterSettings cluster,
    NodeSettings node,
    SimSettings sim,
    String logLevel,
    boolean disableNetworkPolicy,
    boolean disableCloudController,
    Path dataDir) {

  public Settings {
    Objects.requireNonNull(mode, "mode");
    disabled = Set.copyOf(disabled);
    Objects.requireNonNull(servicelbNamespace, "servicelbNamespace");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sim, "sim");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  /** True when {@code --disable} named this component. */
  public boolean isDisabled(Component component) {
    return disabled.contains(component);
  }
}
