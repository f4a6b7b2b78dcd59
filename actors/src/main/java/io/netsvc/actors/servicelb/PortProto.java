package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.PortSpec;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A host port and its protocol, as sent between actors ("80/TCP"). */
public record PortProto(int port, String protocol)
    implements CborSerializable, Comparable<PortProto> {

  static Set<PortProto> of(Collection<PortSpec> ports) {
    return ports.stream()
        .map(p -> new PortProto(p.port(), p.protocol()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  PortKey key() {
    return new PortKey(port, protocol);
  }

  @Override
  public int compareTo(PortProto o) {
    int c = Integer.compare(port, o.port);
    return c != 0 ? c : protocol.compareTo(o.protocol);
  }

  @Override
  public String toString() {
    return port + "/" + protocol;
  }
}
