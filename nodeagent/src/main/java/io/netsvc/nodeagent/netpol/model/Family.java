package io.netsvc.nodeagent.netpol.model;

/**
 * An IP family as network policy sees it: rules, chains and sets are rendered and applied once per
 * family ({@code iptables} for IPv4, {@code ip6tables} for IPv6).
 */
public enum Family {
  IPV4("IPv4", "inet"),
  IPV6("IPv6", "inet6");

  private final String kubernetesName;
  private final String ipsetFamily;

  Family(String kubernetesName, String ipsetFamily) {
    this.kubernetesName = kubernetesName;
    this.ipsetFamily = ipsetFamily;
  }

  /**
   * The Kubernetes {@code IPFamily} string ({@code IPv4}/{@code IPv6}), used in kube-router's
   * hashes.
   */
  public String kubernetesName() {
    return kubernetesName;
  }

  /** The ipset {@code family} option value ({@code inet}/{@code inet6}). */
  public String ipsetFamily() {
    return ipsetFamily;
  }
}
