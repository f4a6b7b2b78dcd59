package io.netsvc.k8s.records;

/** One entry of {@code status.loadBalancer.ingress}. */
public record IngressInfo(String ip, String hostname, String ipMode) implements CborSerializable {
  public static IngressInfo vip(String ip) {
    return new IngressInfo(ip, null, "VIP");
  }
}
