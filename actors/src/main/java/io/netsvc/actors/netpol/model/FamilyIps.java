package io.netsvc.actors.netpol.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.CborSerializable;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Pod IPs split by family, each list sorted and without duplicates (canonical text). */
public record FamilyIps(List<String> ipv4, List<String> ipv6) implements CborSerializable {
  public static final FamilyIps NONE = new FamilyIps(List.of(), List.of());

  public FamilyIps {
    ipv4 = sorted(ipv4);
    ipv6 = sorted(ipv6);
  }

  private static List<String> sorted(Collection<String> ips) {
    return ips == null ? List.of() : List.copyOf(new TreeSet<>(ips));
  }

  public List<String> get(IpFamily f) {
    return f == IpFamily.IPV4 ? ipv4 : ipv6;
  }

  @JsonIgnore // a derived value, not a field to serialize
  public boolean isEmpty() {
    return ipv4.isEmpty() && ipv6.isEmpty();
  }

  public int size() {
    return ipv4.size() + ipv6.size();
  }
}
