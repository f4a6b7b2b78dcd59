package io.netsvc.actors.netpol.model;

/** An IP family, named as Kubernetes names it ({@code IPv4}/{@code IPv6}). */
public enum IpFamily {
  IPV4("IPv4", 32),
  IPV6("IPv6", 128);

  private final String k8sName;
  private final int bits;

  IpFamily(String k8sName, int bits) {
    this.k8sName = k8sName;
    this.bits = bits;
  }

  /** {@code IPv4} or {@code IPv6}: the Kubernetes {@code IPFamily} value kube-router hashes. */
  public String k8sName() {
    return k8sName;
  }

  /** Address length in bits. */
  public int bits() {
    return bits;
  }

  /** The family of an address or CIDR literal, judged by its text (a colon means IPv6). */
  public static IpFamily of(String ipOrCidr) {
    return ipOrCidr.indexOf(':') >= 0 ? IPV6 : IPV4;
  }
}
