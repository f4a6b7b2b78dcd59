package io.netsvc.actors.netpol.model;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.CborSerializable;
import java.util.List;

/**
 * One ingress or egress rule with its peers and ports resolved. Peers: {@code anyPeer} (the rule
 * lists none), and/or the IPs of the pods its selector peers pick ({@code podPeers} says it has at
 * least one valid selector peer, even if it picks no pod right now), and/or its ipBlock peers.
 * Ports: {@code anyPort} (the rule lists none), or numeric {@code ports} and resolved {@code
 * namedGroups}; a rule whose port entries all resolve to nothing allows nothing.
 *
 * @param index the rule's position in the policy (names its sets)
 */
public record CompiledRule(
    int index,
    boolean anyPeer,
    boolean podPeers,
    FamilyIps peerIps,
    List<CidrPeer> cidrPeers,
    boolean anyPort,
    List<PortMatch> ports,
    List<NamedGroup> namedGroups)
    implements CborSerializable {

  public CompiledRule {
    peerIps = peerIps == null ? FamilyIps.NONE : peerIps;
    cidrPeers = cidrPeers == null ? List.of() : List.copyOf(cidrPeers);
    ports = ports == null ? List.of() : List.copyOf(ports);
    namedGroups = namedGroups == null ? List.of() : List.copyOf(namedGroups);
  }

  /** True when no packet can match: no usable peer, or port entries that all came to nothing. */
  public boolean allowsNothing() {
    boolean noPeer = !anyPeer && !podPeers && cidrPeers.isEmpty();
    boolean noPort = !anyPort && ports.isEmpty() && namedGroups.isEmpty();
    return noPeer || noPort;
  }

  /** The ipBlock peers of one family. */
  public List<CidrPeer> cidrPeers(IpFamily f) {
    return cidrPeers.stream().filter(c -> c.family() == f).toList();
  }
}
