package io.netsvc.config.ip;

import java.util.Optional;

/**
 * An IP family. Network policy renders and applies everything once per family ({@code iptables} for
 * IPv4, {@code ip6tables} for IPv6); ServiceLB filters node addresses by a Service's {@code
 * spec.ipFamilies}. Declared IPv4 first, so an {@code EnumSet} or {@code EnumMap} iterates IPv4
 * first.
 */
public enum IpFamily {
  IPV4("IPv4", 32, "inet"),
  IPV6("IPv6", 128, "inet6");

  private final String kubernetesName;
  private final int bits;
  private final String ipsetFamily;

  IpFamily(String kubernetesName, int bits, String ipsetFamily) {
    this.kubernetesName = kubernetesName;
    this.bits = bits;
    this.ipsetFamily = ipsetFamily;
  }

  /**
   * {@code IPv4} or {@code IPv6}: the Kubernetes {@code IPFamily} value, as in a Service's {@code
   * spec.ipFamilies}; kube-router also hashes it into chain and set names.
   */
  public String kubernetesName() {
    return kubernetesName;
  }

  /** The address length in bits: 32 or 128. */
  public int bits() {
    return bits;
  }

  /** The value of ipset's {@code family} option: {@code inet} or {@code inet6}. */
  public String ipsetFamily() {
    return ipsetFamily;
  }

  /** The family Kubernetes names {@code IPv4} or {@code IPv6} (case-sensitive, as the API is). */
  public static Optional<IpFamily> fromKubernetesName(String name) {
    for (IpFamily f : values()) {
      if (f.kubernetesName.equals(name)) return Optional.of(f);
    }
    return Optional.empty();
  }
}
