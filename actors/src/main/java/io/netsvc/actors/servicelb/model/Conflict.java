package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.CborSerializable;

/** A port a Service could not get on a node, and who holds it ("Service" or "Pod", ns/name). */
public record Conflict(String node, String port, String holderKind, String holder)
    implements CborSerializable {

  /** "80/TCP on node-2 is held by Service default/web". */
  public String describe() {
    return port + " on " + node + " is held by " + holderKind + " " + holder;
  }
}
