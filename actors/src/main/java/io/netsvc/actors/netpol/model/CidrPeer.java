package io.netsvc.actors.netpol.model;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.CborSerializable;
import java.util.List;

/**
 * One {@code ipBlock} peer, validated and normalised: {@code cidr} and its {@code except} entries
 * in canonical {@code net/prefix} form, every except strictly inside the cidr. Each peer gets a set
 * of its own, so one peer's except can never mask another peer's cidr (kube-router D4/D5).
 *
 * @param peer the peer's index in the rule (names its set)
 */
public record CidrPeer(int peer, IpFamily family, String cidr, List<String> except)
    implements CborSerializable {
  public CidrPeer {
    except = except == null ? List.of() : List.copyOf(except);
  }
}
