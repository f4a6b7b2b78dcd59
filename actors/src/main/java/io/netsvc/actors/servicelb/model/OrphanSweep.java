package io.netsvc.actors.servicelb.model;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which svclb DaemonSets are orphans: present but wanted by no Service on two checks in a row. One
 * check is not enough: the cache may show a new Service's DaemonSet before the controller has seen
 * the Service itself (the two kinds are watched separately).
 */
public final class OrphanSweep {
  private Set<String> suspects = Set.of();

  /** The DaemonSets to delete now; the others not wanted become suspects for the next check. */
  public Set<String> confirmed(Set<String> present, Set<String> wanted) {
    Set<String> unwanted = new TreeSet<>(present);
    unwanted.removeAll(wanted);
    Set<String> confirmed = new TreeSet<>(unwanted);
    confirmed.retainAll(suspects);
    suspects = unwanted;
    return confirmed;
  }
}
