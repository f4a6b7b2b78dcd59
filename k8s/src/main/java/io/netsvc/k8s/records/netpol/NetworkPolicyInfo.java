package io.netsvc.k8s.records.netpol;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * A NetworkPolicy as written (nothing resolved, nothing defaulted beyond what the API server
 * stored). {@code ingress}/{@code egress} are null when the field is absent; {@code policyTypes} is
 * empty when absent.
 */
public record NetworkPolicyInfo(
    String namespace,
    String name,
    String uid,
    Map<String, String> annotations,
    SelectorInfo podSelector,
    List<String> policyTypes,
    List<Rule> ingress,
    List<Rule> egress)
    implements CborSerializable {

  /** One ingress or egress rule: peers ({@code from}/{@code to}) and ports; empty = any. */
  public record Rule(List<Peer> peers, List<Port> ports) implements CborSerializable {
    public Rule {
      peers = peers == null ? List.of() : List.copyOf(peers);
      ports = ports == null ? List.of() : List.copyOf(ports);
    }
  }

  /**
   * One peer: pod and/or namespace selector (either may be null), or an ipBlock (null when absent).
   */
  public record Peer(SelectorInfo podSelector, SelectorInfo namespaceSelector, IpBlock ipBlock)
      implements CborSerializable {}

  /** {@code cidr} with its {@code except} list. */
  public record IpBlock(String cidr, List<String> except) implements CborSerializable {
    public IpBlock {
      except = except == null ? List.of() : List.copyOf(except);
    }
  }

  /**
   * A port entry: protocol (null when absent; the API defaults it to TCP), port as written (a
   * number, a name, or null for "all ports") and endPort (null when absent).
   */
  public record Port(String protocol, String port, Integer endPort) implements CborSerializable {}

  public NetworkPolicyInfo {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    podSelector = podSelector == null ? SelectorInfo.ALL : podSelector;
    policyTypes = policyTypes == null ? List.of() : List.copyOf(policyTypes);
    ingress = ingress == null ? null : List.copyOf(ingress);
    egress = egress == null ? null : List.copyOf(egress);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
