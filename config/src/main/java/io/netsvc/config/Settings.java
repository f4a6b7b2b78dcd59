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
    LogFormat logFormat,
    boolean disableNetworkPolicy,
    boolean disableCloudController,
    Path dataDir,
    DeploySettings deploy) {

  public Settings {
    Objects.requireNonNull(mode, "mode");
    disabled = Set.copyOf(disabled);
    Objects.requireNonNull(servicelbNamespace, "servicelbNamespace");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sim, "sim");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(deploy, "deploy");
  }

  /** True when {@code --disable} named this component. */
  public boolean isDisabled(Component component) {
    return disabled.contains(component);
  }

  /** The same settings with another set of disabled components. */
  public Settings withDisabled(Set<Component> components) {
    return new Settings(
        mode,
        components,
        servicelbNamespace,
        kubeconfig,
        cluster,
        node,
        sim,
        logLevel,
        logFormat,
        disableNetworkPolicy,
        disableCloudController,
        dataDir,
        deploy);
  }
}
