package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;

/**
 * A numeric port entry: protocol ({@code tcp}, {@code udp}, {@code sctp}, lower case as iptables
 * prints it) and the range {@code from..to}; {@code from == 0} means every port of the protocol.
 */
public record PortMatch(String protocol, int from, int to) implements CborSerializable {
  public boolean allPorts() {
    return from == 0;
  }
}
