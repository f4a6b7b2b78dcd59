package io.netsvc.k8s.records.netpol;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * What the NetworkPolicy controller needs of a Pod: where it runs, its labels, its IPs (at most one
 * per family, canonical text; null when it has none of that family), its named container ports, and
 * whether policies act on it at all (kube-router's "actionable": has an IP, not hostNetwork, not
 * Succeeded/Failed).
 */
public record NetpolPod(
    String namespace,
    String name,
    String nodeName,
    Map<String, String> labels,
    String ipv4,
    String ipv6,
    List<NamedPort> namedPorts,
    boolean hostNetwork,
    boolean finished)
    implements CborSerializable {

  /** A container port with a name. */
  public record NamedPort(String name, String protocol, int port) implements CborSerializable {}

  public NetpolPod {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    namedPorts = namedPorts == null ? List.of() : List.copyOf(namedPorts);
  }

  public String key() {
    return namespace + "/" + name;
  }

  /** Selected or selectable by policies. */
  public boolean actionable() {
    return !hostNetwork && !finished && (ipv4 != null || ipv6 != null);
  }
}
