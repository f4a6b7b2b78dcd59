package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every reason a LoadBalancer Service cannot be served, one line each (empty = valid). */
public final class ServiceValidation {
  private ServiceValidation() {}

  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

  public static List<String> problems(ServiceInfo s) {
    List<String> out = new ArrayList<>();
    if (s.ports().isEmpty()) out.add("the Service has no ports");
    Set<String> seen = new HashSet<>();
    for (PortSpec p : s.ports()) {
      if (!PROTOCOLS.contains(p.protocol())) {
        out.add("port " + p.port() + " has unknown protocol \"" + p.protocol() + "\"");
        continue;
      }
      if (p.port() < 1 || p.port() > 65535) {
        out.add("port " + p.port() + "/" + p.protocol() + " is out of range 1-65535");
      } else if (!seen.add(p.port() + "/" + p.protocol())) {
        out.add("port " + p.port() + "/" + p.protocol() + " is listed twice");
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
