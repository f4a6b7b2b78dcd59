package io.netsvc.k8s.records;

import java.util.List;
import java.util.Map;

/**
 * What netsvc needs of a Pod: where it runs, whether it is Ready (condition Ready=True), its IPs
 * and the host ports its containers claim.
 */
public record PodInfo(
    String namespace,
    String name,
    String uid,
    String nodeName,
    Map<String, String> labels,
    String podIP,
    List<String> podIPs,
    String phase,
    boolean ready,
    boolean deleting,
    List<HostPortUse> hostPorts)
    implements CborSerializable {

  public String key() {
    return namespace + "/" + name;
  }
}
