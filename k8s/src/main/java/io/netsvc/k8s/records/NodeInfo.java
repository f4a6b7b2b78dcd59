package io.netsvc.k8s.records;

import java.util.List;
import java.util.Map;

/** What netsvc needs of a Node. */
public record NodeInfo(
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<NodeAddress> addresses,
    List<TaintInfo> taints,
    String providerID)
    implements CborSerializable {

  public List<String> addressesOfType(String type) {
    return addresses.stream().filter(a -> a.type().equals(type)).map(NodeAddress::address).toList();
  }
}
