package io.netsvc.k8s.records;

import java.util.List;
import java.util.Map;

/**
 * What netsvc needs of a Node.
 *
 * @param podCidrs the Node's {@code spec.podCIDRs} (empty until the node IPAM controller set them):
 *     the node's agent renders its reject of not-yet-programmed pods from them
 */
public record NodeInfo(
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<NodeAddress> addresses,
    List<TaintInfo> taints,
    String providerID,
    List<String> podCidrs)
    implements CborSerializable {

  public NodeInfo {
    podCidrs = podCidrs == null ? List.of() : List.copyOf(podCidrs);
  }

  /** A Node without pod CIDRs. */
  public NodeInfo(
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<NodeAddress> addresses,
      List<TaintInfo> taints,
      String providerID) {
    this(name, labels, annotations, addresses, taints, providerID, List.of());
  }

  public List<String> addressesOfType(String type) {
    return addresses.stream().filter(a -> a.type().equals(type)).map(NodeAddress::address).toList();
  }
}
