package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EndpointSlice controller, and a fallback Service allocation that finds nothing to do while
 * the sim API allocates ClusterIPs and NodePorts itself (as kube-apiserver does, on write).
 */
final class ServiceController {
  private final SimState state;
  private final Writer writer;
  private final TreeMap<String, Service> services = new TreeMap<>();

  /** Allocations decided per Service uid, so a stale event never allocates twice. */
  private final Map<String, Map<String, Object>> decided = new HashMap<>();

  private final Map<String, EndpointSlice> written = new HashMap<>();

  ServiceController(SimState state, Writer writer) {
    this.state = state;
    this.writer = writer;
  }

  private static String key(Service s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }

  void onService(Service s) {
    services.put(key(s), s);
    var spec = s.getSpec();
    if (spec.getClusterIPs() != null) spec.getClusterIPs().forEach(state.pools::reserveClusterIP);
    if (spec.getPorts() != null) {
      spec.getPorts().stream()
          .filter(p -> p.getNodePort() != null)
          .forEach(p -> state.pools.reserveNodePort(p.getNodePort()));
    }
    allocate(s);
    syncSlices(s);
  }

  void onServiceGone(Service s) {
    services.remove(key(s));
    decided.remove(s.getMetadata().getUid());
    for (String family : List.of("IPv4", "IPv6")) {
      String name = sliceName(s, family);
      if (written.remove(s.getMetadata().getNamespace() + "/" + name) != null) {
        String ns = s.getMetadata().getNamespace();
        writer.write(
            "delete slice " + name,
            c -> c.discovery().v1().endpointSlices().inNamespace(ns).withName(name).delete());
      }
    }
  }

  void onPod(Pod p) {
    String ns = p.getMetadata().getNamespace();
    for (Service s : services.subMap(ns + "/", ns + "/\uffff").values()) {
      Map<String, String> sel = s.getSpec().getSelector();
      if (sel != null
          && !sel.isEmpty()
          && p.getMetadata().getLabels() != null
          && p.getMetadata().getLabels().entrySet().containsAll(sel.entrySet())) {
        syncSlices(s);
      }
    }
  }

  private void allocate(Service s) {
    var spec = s.getSpec();
    String type = spec.getType() == null ? "ClusterIP" : spec.getType();
    Map<String, Object> patch =
        decided.computeIfAbsent(s.getMetadata().getUid(), u -> new LinkedHashMap<>());
    Map<String, Object> out = new LinkedHashMap<>();
    boolean headless = "None".equals(spec.getClusterIP());
    if (!headless
        && !"ExternalName".equals(type)
        && (spec.getClusterIP() == null || spec.getClusterIP().isEmpty())) {
      List<String> families =
          spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()
              ? List.of("IPv4")
              : spec.getIpFamilies();
      @SuppressWarnings("unchecked")
      List<String> ips =
          (List<String>)
              patch.computeIfAbsent(
                  "clusterIPs",
                  k -> {
                    List<String> l = new ArrayList<>();
                    families.forEach(f -> l.add(state.pools.clusterIP("IPv6".equals(f))));
                    return l;
                  });
      out.put("clusterIP", ips.get(0));
      out.put("clusterIPs", ips);
      out.put("ipFamilies", families);
      if (spec.getIpFamilyPolicy() == null) out.put("ipFamilyPolicy", "SingleStack");
    }
    boolean nodePorts =
        "NodePort".equals(type)
            || ("LoadBalancer".equals(type)
                && !Boolean.FALSE.equals(spec.getAllocateLoadBalancerNodePorts()));
    List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
    boolean portsChanged = false;
    List<Map<String, Object>> portList = new ArrayList<>();
    for (ServicePort p : ports) {
      Map<String, Object> m = Serialization.jsonMapper().convertValue(p, Map.class);
      String id = "nodePort:" + p.getPort() + "/" + p.getProtocol();
      if (nodePorts && p.getNodePort() == null) {
        m.put("nodePort", patch.computeIfAbsent(id, k -> state.pools.nodePort()));
        portsChanged = true;
      } else if (!nodePorts && "ClusterIP".equals(type) && p.getNodePort() != null) {
        m.remove("nodePort");
        portsChanged = true;
      }
      if (p.getProtocol() == null) {
        m.put("protocol", "TCP");
        portsChanged = true;
      }
      if (p.getTargetPort() == null) {
        m.put("targetPort", p.getPort());
        portsChanged = true;
      }
      portList.add(m);
    }
    if (portsChanged) out.put("ports", portList);
    if (("NodePort".equals(type) || "LoadBalancer".equals(type))
        && spec.getExternalTrafficPolicy() == null) {
      out.put("externalTrafficPolicy", "Cluster");
    }
    if (spec.getSessionAffinity() == null) out.put("sessionAffinity", "None");
    if (spec.getInternalTrafficPolicy() == null) out.put("internalTrafficPolicy", "Cluster");
    if (spec.getType() == null) out.put("type", "ClusterIP");
    if (out.isEmpty()) return;
    String ns = s.getMetadata().getNamespace();
    String name = s.getMetadata().getName();
    writer.mergePatch(
        "allocate " + name,
        c -> c.services().inNamespace(ns).withName(name),
        Serialization.asJson(Map.of("spec", out)));
  }

  private static String sliceName(Service s, String family) {
    return s.getMetadata().getName() + ("IPv6".equals(family) ? "-sim-v6" : "-sim");
  }

  private void syncSlices(Service s) {
    Map<String, String> sel = s.getSpec().getSelector();
    if (sel == null || sel.isEmpty()) return;
    List<String> families =
        s.getSpec().getIpFamilies() == null || s.getSpec().getIpFamilies().isEmpty()
            ? List.of("IPv4")
            : s.getSpec().getIpFamilies();
    String ns = s.getMetadata().getNamespace();
    List<Pod> pods = new ArrayList<>();
    for (Pod p : state.pods.all()) {
      if (ns.equals(p.getMetadata().getNamespace())
          && p.getMetadata().getLabels() != null
          && p.getMetadata().getLabels().entrySet().containsAll(sel.entrySet())
          && Kubelet.running(p)
          && p.getMetadata().getDeletionTimestamp() == null) {
        pods.add(p);
      }
    }
    pods.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
    for (String family : families) {
      EndpointSlice slice = slice(s, family, pods);
      String k = ns + "/" + slice.getMetadata().getName();
      EndpointSlice before = written.get(k);
      if (before != null
          && java.util.Objects.equals(before.getEndpoints(), slice.getEndpoints())
          && java.util.Objects.equals(before.getPorts(), slice.getPorts())) continue;
      written.put(k, slice);
      writer.write(
          "slice " + k,
          c -> c.discovery().v1().endpointSlices().resource(slice).createOr(x -> x.update()));
    }
  }

  private static EndpointSlice slice(Service s, String family, List<Pod> pods) {
    boolean v6 = "IPv6".equals(family);
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(sliceName(s, family))
            .withNamespace(s.getMetadata().getNamespace())
            .addToLabels("kubernetes.io/service-name", s.getMetadata().getName())
            .addToLabels(
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
            .endMetadata()
            .withAddressType(family);
    for (Pod p : pods) {
      List<String> ips =
          p.getStatus().getPodIPs() == null
              ? List.of(p.getStatus().getPodIP())
              : p.getStatus().getPodIPs().stream().map(x -> x.getIp()).toList();
      List<String> mine = ips.stream().filter(ip -> ip.contains(":") == v6).toList();
      if (mine.isEmpty()) continue;
      boolean ready =
          p.getStatus().getConditions() != null
              && p.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses(mine)
              .withNodeName(p.getSpec().getNodeName())
              .withNewConditions()
              .withReady(ready)
              .withServing(ready)
              .withTerminating(false)
              .endConditions()
              .withNewTargetRef()
              .withKind("Pod")
              .withName(p.getMetadata().getName())
              .withNamespace(p.getMetadata().getNamespace())
              .withUid(p.getMetadata().getUid())
              .endTargetRef()
              .build());
    }
    for (ServicePort sp :
        s.getSpec().getPorts() == null ? List.<ServicePort>of() : s.getSpec().getPorts()) {
      b.addToPorts(
          new EndpointPortBuilder()
              .withName(sp.getName())
              .withProtocol(sp.getProtocol())
              .withPort(targetPort(sp, pods))
              .build());
    }
    return b.build();
  }

  /** A numeric targetPort as is; a named one resolved on the (first) pod that declares it. */
  private static Integer targetPort(ServicePort sp, List<Pod> pods) {
    IntOrString t = sp.getTargetPort();
    if (t == null) return sp.getPort();
    if (t.getIntVal() != null) return t.getIntVal();
    for (Pod p : pods) {
      for (var c : p.getSpec().getContainers()) {
        for (ContainerPort cp : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          if (t.getStrVal().equals(cp.getName())) return cp.getContainerPort();
        }
      }
    }
    return null;
  }
}
