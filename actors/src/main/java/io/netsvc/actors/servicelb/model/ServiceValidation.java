package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every reason a LoadBalancer Service cannot be served, one line each (empty = valid). A real API
 * server rejects the port problems at admission; the embedded one does not. The tolerations and
 * source-range problems are the errors K3s's {@code EnsureLoadBalancer} would fail with.
 */
public final class ServiceValidation {
  private ServiceValidation() {}

  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

  public static List<String> problems(ServiceInfo s) {
    List<String> out = new ArrayList<>();
    if (s.ports().isEmpty()) out.add("the Service has no ports");
    Set<String> seen = new HashSet<>();
    Set<String> reported = new HashSet<>();
    for (PortSpec p : s.ports()) {
      String id = p.port() + "/" + p.protocol();
      boolean known = PROTOCOLS.contains(p.protocol());
      if (!known) out.add("port " + p.port() + " has unknown protocol \"" + p.protocol() + "\"");
      if (p.port() < 1 || p.port() > 65535) {
        out.add("port " + id + " is out of range 1-65535");
      } else if (known && !seen.add(id) && reported.add(id)) {
        out.add("port " + id + " is listed twice");
      }
    }
    try {
      Tolerations.forService(s);
    } catch (IllegalArgumentException e) {
      out.add(e.getMessage());
    }
    try {
      SourceRanges.of(s);
    } catch (IllegalArgumentException e) {
      out.add(e.getMessage());
    }
    return out;
  }
}
