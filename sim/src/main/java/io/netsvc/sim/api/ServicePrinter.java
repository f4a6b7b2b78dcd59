package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code kubectl get svc} rows: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR]. */
final class ServicePrinter {
  private ServicePrinter() {}

  static List<Object> cells(JsonNode svc, Instant now) {
    JsonNode spec = svc.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    String clusterIp = spec.path("clusterIPs").path(0).asText(spec.path("clusterIP").asText(""));
    String ports = ports(spec.path("ports"));
    return List.of(
        Printers.name(svc),
        type,
        Printers.orNone(clusterIp),
        externalIp(svc, type),
        ports.isEmpty() ? "<none>" : ports,
        Printers.age(svc, now),
        Printers.formatLabels(spec.path("selector")));
  }

  /** Like the API server: {@code <pending>} until a LoadBalancer has ingress. */
  static String externalIp(JsonNode svc, String type) {
    List<String> externalIps = new ArrayList<>();
    svc.path("spec").path("externalIPs").forEach(ip -> externalIps.add(ip.asText()));
    switch (type) {
      case "ClusterIP", "NodePort" -> {
        return externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
      }
      case "LoadBalancer" -> {
        TreeSet<String> lb = new TreeSet<>();
        for (JsonNode ing : svc.path("status").path("loadBalancer").path("ingress")) {
          String ip = ing.path("ip").asText("");
          String host = ing.path("hostname").asText("");
          if (!ip.isEmpty()) lb.add(ip);
          else if (!host.isEmpty()) lb.add(host);
        }
        List<String> all = new ArrayList<>(lb);
        all.addAll(externalIps);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> {
        return svc.path("spec").path("externalName").asText("");
      }
      default -> {
        return "<unknown>";
      }
    }
  }

  /** "80:31234/TCP,443/TCP" (protocol TCP when unset: the sim does no defaulting). */
  static String ports(JsonNode ports) {
    List<String> pieces = new ArrayList<>();
    for (JsonNode p : ports) {
      String protocol = p.path("protocol").asText("TCP");
      int nodePort = p.path("nodePort").asInt(0);
      int port = p.path("port").asInt();
      pieces.add(nodePort > 0 ? port + ":" + nodePort + "/" + protocol : port + "/" + protocol);
    }
    return String.join(",", pieces);
  }
}
