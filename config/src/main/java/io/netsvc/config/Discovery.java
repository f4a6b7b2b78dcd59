package io.netsvc.config;

import java.util.Arrays;
import java.util.Optional;

/** How a member finds the cluster it joins (docs/deploy.md, "How members find each other"). */
public enum Discovery {
  /** The {@code --seed} addresses; none: a server forms a cluster of its own. */
  SEEDS("seeds"),
  /**
   * Pekko Cluster Bootstrap: the controller pods listed through the Kubernetes API (label selector,
   * in the member's own namespace) are the contact points; a server may form the cluster, an agent
   * only joins it.
   */
  KUBERNETES_API("kubernetes-api");

  private final String flagValue;

  Discovery(String flagValue) {
    this.flagValue = flagValue;
  }

  /** As typed after {@code --discovery}. */
  public String flagValue() {
    return flagValue;
  }

  static Optional<Discovery> ofFlagValue(String value) {
    return Arrays.stream(values()).filter(d -> d != SEEDS && d.flagValue.equals(value)).findFirst();
  }
}
