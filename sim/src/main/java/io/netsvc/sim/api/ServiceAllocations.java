package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsvc.sim.api.model.Addresses;
import io.netsvc.sim.api.model.FieldError;
import io.netsvc.sim.api.model.ServiceRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Service registry's allocators: ClusterIPs from K3s's service CIDRs (10.43.0.0/16 and
 * fd00:43::/112) and NodePorts from 30000-32767, allocated when a Service is written, never twice,
 * and freed when it is deleted. As kube-apiserver does, dynamic allocation starts above a static
 * band (the first 256 addresses, the first 86 ports) that is left for Services that ask for a fixed
 * value (e.g. kube-dns's 10.43.0.10). Called inside the store's monitor.
 */
final class ServiceAllocations {
  static final String V4_RANGE = "10.43.0.0/16";
  static final String V6_RANGE = "fd00:43::/112";
  static final int FIRST_PORT = 30000;
  static final int LAST_PORT = 32767;
  private static final int STATIC_ADDRESSES = 256;
  private static final int STATIC_PORTS = 86;

  private final Map<String, String> ips = new HashMap<>();
  private final Map<Integer, String> ports = new HashMap<>();
  private final Map<String, Set<String>> ipsOf = new HashMap<>();
  private final Map<String, Set<Integer>> portsOf = new HashMap<>();
  private int nextV4 = STATIC_ADDRESSES;
  private int nextV6 = STATIC_ADDRESSES;
  private int nextPort = FIRST_PORT + STATIC_PORTS;

  /**
   * Gives {@code spec} (of the Service {@code owner}, "namespace/name") the ClusterIPs, NodePorts
   * and health-check NodePort it needs and frees what it held and no longer uses. Nothing changes
   * when a value it asks for is out of range or taken: the errors are returned.
   */
  List<FieldError> allocate(String owner, ObjectNode spec) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> wantIps = new HashSet<>();
    Set<Integer> wantPorts = new HashSet<>();
    boolean clusterIP = ServiceRules.needsClusterIP(spec) && !ServiceRules.headless(spec);
    List<String> families =
        ServiceRules.needsClusterIP(spec) ? ServiceRules.families(spec) : List.of();
    List<String> given = new ArrayList<>();
    if (clusterIP) {
      spec.path("clusterIPs").forEach(ip -> given.add(ip.asText()));
      if (given.isEmpty() && !spec.path("clusterIP").asText("").isEmpty()) {
        given.add(spec.get("clusterIP").asText());
      }
      for (String ip : given) {
        String why = ipProblem(owner, ip);
        if (why != null) {
          errors.add(
              FieldError.invalid(
                  "spec.clusterIPs",
                  spec.path("clusterIPs").isEmpty()
                      ? "[\"" + ip + "\"]"
                      : spec.get("clusterIPs").toString(),
                  "failed to allocate IP " + ip + ": " + why));
        }
        wantIps.add(ip);
      }
    }
    Map<ObjectNode, Integer> portsToSet = new LinkedHashMap<>();
    List<ObjectNode> specPorts = new ArrayList<>();
    spec.path("ports").forEach(p -> specPorts.add((ObjectNode) p));
    if (ServiceRules.needsNodePorts(spec)) {
      Map<Integer, Integer> byPort =
          new HashMap<>(); // a service port's nodePort, shared by protocols
      for (int i = 0; i < specPorts.size(); i++) {
        int np = specPorts.get(i).path("nodePort").asInt(0);
        if (np == 0) continue;
        String why = portProblem(owner, np);
        if (why != null && !wantPorts.contains(np)) {
          errors.add(FieldError.invalid("spec.ports[" + i + "].nodePort", String.valueOf(np), why));
        }
        wantPorts.add(np);
        byPort.put(specPorts.get(i).path("port").asInt(), np);
      }
      for (ObjectNode p : specPorts) {
        if (p.path("nodePort").asInt(0) != 0) continue;
        Integer shared = byPort.get(p.path("port").asInt());
        portsToSet.put(p, shared); // null: a new one
      }
    }
    int hc = spec.path("healthCheckNodePort").asInt(0);
    if (ServiceRules.needsHealthCheckNodePort(spec) && hc != 0) {
      String why = portProblem(owner, hc);
      if (why != null && !wantPorts.contains(hc)) {
        errors.add(FieldError.invalid("spec.healthCheckNodePort", String.valueOf(hc), why));
      }
      wantPorts.add(hc);
    }
    if (!errors.isEmpty()) return errors;
    // every asked-for value is free: allocate the rest and write them into the spec
    if (ServiceRules.needsClusterIP(spec)) {
      List<String> all = new ArrayList<>(given);
      if (clusterIP) {
        for (int i = all.size(); i < families.size(); i++) {
          String ip = nextIp(families.get(i).equals("IPv6"), wantIps);
          wantIps.add(ip);
          all.add(ip);
        }
      } else {
        all = List.of("None");
      }
      spec.put("clusterIP", all.get(0));
      ArrayNode a = spec.putArray("clusterIPs");
      all.forEach(a::add);
      ArrayNode f = spec.putArray("ipFamilies");
      families.forEach(f::add);
      spec.put("ipFamilyPolicy", ServiceRules.familyPolicy(spec));
    }
    for (Map.Entry<ObjectNode, Integer> e : portsToSet.entrySet()) {
      int np = e.getValue() != null ? e.getValue() : nextPort(wantPorts);
      wantPorts.add(np);
      e.getKey().put("nodePort", np);
    }
    if (ServiceRules.needsHealthCheckNodePort(spec) && hc == 0) {
      int port = nextPort(wantPorts);
      wantPorts.add(port);
      spec.put("healthCheckNodePort", port);
    }
    release(owner);
    wantIps.forEach(ip -> ips.put(ip, owner));
    wantPorts.forEach(p -> ports.put(p, owner));
    if (!wantIps.isEmpty()) ipsOf.put(owner, wantIps);
    if (!wantPorts.isEmpty()) portsOf.put(owner, wantPorts);
    return errors;
  }

  /** Frees everything {@code owner} holds (its Service is gone). */
  void release(String owner) {
    Set<String> i = ipsOf.remove(owner);
    if (i != null) i.forEach(ips::remove);
    Set<Integer> p = portsOf.remove(owner);
    if (p != null) p.forEach(ports::remove);
  }

  /** What a Service held before a write, to be put back if the write fails. */
  record Held(Set<String> ips, Set<Integer> ports) {}

  /** What {@code owner} holds now, to be put back with {@link #restore} if its write fails. */
  Held hold(String owner) {
    return new Held(
        Set.copyOf(ipsOf.getOrDefault(owner, Set.of())),
        Set.copyOf(portsOf.getOrDefault(owner, Set.of())));
  }

  void restore(String owner, Held held) {
    release(owner);
    held.ips().forEach(ip -> ips.put(ip, owner));
    held.ports().forEach(port -> ports.put(port, owner));
    if (!held.ips().isEmpty()) ipsOf.put(owner, new HashSet<>(held.ips()));
    if (!held.ports().isEmpty()) portsOf.put(owner, new HashSet<>(held.ports()));
  }

  private String ipProblem(String owner, String ip) {
    boolean v6 = ip.contains(":");
    if (!Addresses.isIP(ip)) return "the provided IP (" + ip + ") is not a valid IP address";
    String range = v6 ? V6_RANGE : V4_RANGE;
    if (!inRange(ip, range)) {
      return "the provided IP ("
          + ip
          + ") is not in the valid range. The range of valid IPs is "
          + range;
    }
    String holder = ips.get(ip);
    return holder != null && !holder.equals(owner) ? "provided IP is already allocated" : null;
  }

  private String portProblem(String owner, int port) {
    if (port < FIRST_PORT || port > LAST_PORT) {
      return "provided port is not in the valid range. The range of valid ports is "
          + FIRST_PORT
          + "-"
          + LAST_PORT;
    }
    String holder = ports.get(port);
    return holder != null && !holder.equals(owner) ? "provided port is already allocated" : null;
  }

  private String nextIp(boolean v6, Set<String> taken) {
    for (int tries = 0; tries < 65536; tries++) {
      int n = v6 ? nextV6 : nextV4;
      int next = n + 1 >= 65535 ? 1 : n + 1;
      if (v6) nextV6 = next;
      else nextV4 = next;
      if (n == 0 || n == 65535) continue;
      String ip = v6 ? "fd00:43::" + Integer.toHexString(n) : "10.43." + (n >> 8) + "." + (n & 255);
      if (!ips.containsKey(ip) && !taken.contains(ip)) return ip;
    }
    throw new IllegalStateException("no ClusterIP left in " + (v6 ? V6_RANGE : V4_RANGE));
  }

  private int nextPort(Set<Integer> taken) {
    for (int tries = 0; tries <= LAST_PORT - FIRST_PORT; tries++) {
      int p = nextPort;
      nextPort = p == LAST_PORT ? FIRST_PORT : p + 1;
      if (!ports.containsKey(p) && !taken.contains(p)) return p;
    }
    throw new IllegalStateException("no NodePort left in " + FIRST_PORT + "-" + LAST_PORT);
  }

  private static boolean inRange(String ip, String cidr) {
    int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    int width = ip.contains(":") ? 128 : 32;
    return Addresses.number(ip)
        .shiftRight(width - bits)
        .equals(Addresses.number(cidr.substring(0, cidr.indexOf('/'))).shiftRight(width - bits));
  }
}
