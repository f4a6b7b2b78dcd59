package io.netsvc.actors.node;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * What a node's agent was started with ({@code --node-ip}, {@code --node-external-ip}, {@code
 * --node-internal-dns}, {@code --node-external-dns}, the host's name): the source of the K3s
 * address annotations on its Node.
 */
public record AgentIdentity(
    List<String> nodeIPs,
    List<String> externalIPs,
    List<String> internalDns,
    List<String> externalDns,
    String hostname)
    implements CborSerializable {

  public AgentIdentity {
    nodeIPs = List.copyOf(nodeIPs);
    externalIPs = List.copyOf(externalIPs);
    internalDns = List.copyOf(internalDns);
    externalDns = List.copyOf(externalDns);
    Objects.requireNonNull(hostname, "hostname");
  }
}
