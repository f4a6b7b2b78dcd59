package io.netsvc.k8s.records;

import java.util.List;
import java.util.Map;

/**
 * What netsvc needs of a Service. Lists and maps are never null (empty instead); {@code
 * loadBalancerClass}, {@code externalTrafficPolicy} and {@code allocateLoadBalancerNodePorts} may
 * be null. {@code creationTimestamp} is the RFC 3339 string from the API.
 */
public record ServiceInfo(
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    String creationTimestamp,
    String type,
    String loadBalancerClass,
    List<PortSpec> ports,
    List<String> clusterIPs,
    List<String> ipFamilies,
    String externalTrafficPolicy,
    List<String> loadBalancerSourceRanges,
    Boolean allocateLoadBalancerNodePorts,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> finalizers,
    boolean deleting,
    List<IngressInfo> ingress)
    implements CborSerializable {

  public static final String LB_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

  public String key() {
    return namespace + "/" + name;
  }

  /** Upstream {@code wantsLoadBalancer}: type LoadBalancer, no class, not being deleted. */
  public boolean wantsLoadBalancer() {
    return "LoadBalancer".equals(type) && loadBalancerClass == null && !deleting;
  }

  public boolean hasCleanupFinalizer() {
    return finalizers.contains(LB_CLEANUP_FINALIZER);
  }

  /** {@code externalTrafficPolicy: Local} on a LoadBalancer or NodePort Service. */
  public boolean requestsOnlyLocalTraffic() {
    return ("LoadBalancer".equals(type) || "NodePort".equals(type))
        && "Local".equals(externalTrafficPolicy);
  }
}
