package io.netsvc.actors.netpol.model;

import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The pods and namespaces policies are resolved against, indexed once so that compiling thousands
 * of policies does not rescan every pod for each: actionable pods by namespace and by container
 * port name, namespace labels by name. Pod IPs are canonicalised here (an unparsable IP counts as
 * absent), so sets compare equal to what the kernel prints. Immutable.
 */
public final class ClusterView {
  /** The label the API server puts on every namespace (Kubernetes ≥ 1.21). */
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private static final Comparator<NetpolPod> BY_KEY = Comparator.comparing(NetpolPod::key);

  private final Map<String, Map<String, String>> nsLabels;
  private final Map<String, List<NetpolPod>> podsByNs;
  private final Map<String, List<NetpolPod>> byPortName;
  private final List<NetpolPod> all;

  private ClusterView(
      Map<String, Map<String, String>> nsLabels,
      Map<String, List<NetpolPod>> podsByNs,
      Map<String, List<NetpolPod>> byPortName,
      List<NetpolPod> all) {
    this.nsLabels = nsLabels;
    this.podsByNs = podsByNs;
    this.byPortName = byPortName;
    this.all = all;
  }

  public static ClusterView of(Collection<NamespaceInfo> namespaces, Collection<NetpolPod> pods) {
    Map<String, Map<String, String>> ns = new TreeMap<>();
    for (NamespaceInfo n : namespaces) ns.put(n.name(), withNameLabel(n.name(), n.labels()));
    Map<String, List<NetpolPod>> byNs = new HashMap<>();
    Map<String, List<NetpolPod>> byPort = new HashMap<>();
    List<NetpolPod> all = new ArrayList<>();
    for (NetpolPod raw : pods) {
      NetpolPod p = canonical(raw);
      if (!p.actionable()) continue;
      all.add(p);
      byNs.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
      // a namespace we only know through its pods still exists: give it the default label
      ns.computeIfAbsent(p.namespace(), k -> withNameLabel(k, Map.of()));
      p.namedPorts().stream()
          .map(NetpolPod.NamedPort::name)
          .filter(Objects::nonNull)
          .distinct()
          .forEach(name -> byPort.computeIfAbsent(name, k -> new ArrayList<>()).add(p));
    }
    byNs.values().forEach(l -> l.sort(BY_KEY));
    byPort.values().forEach(l -> l.sort(BY_KEY));
    all.sort(BY_KEY);
    byNs.replaceAll((k, v) -> List.copyOf(v));
    byPort.replaceAll((k, v) -> List.copyOf(v));
    return new ClusterView(
        Collections.unmodifiableMap(ns), Map.copyOf(byNs), Map.copyOf(byPort), List.copyOf(all));
  }

  private static Map<String, String> withNameLabel(String name, Map<String, String> labels) {
    if (labels.containsKey(NAME_LABEL)) return labels;
    Map<String, String> m = new HashMap<>(labels);
    m.put(NAME_LABEL, name);
    return Map.copyOf(m);
  }

  /**
   * The pod with canonical IP text; an IP that does not parse (or is of the wrong family) is
   * dropped.
   */
  public static NetpolPod canonical(NetpolPod p) {
    String v4 = canonical(p.ipv4(), IpFamily.IPV4);
    String v6 = canonical(p.ipv6(), IpFamily.IPV6);
    if (Objects.equals(v4, p.ipv4()) && Objects.equals(v6, p.ipv6())) return p;
    return new NetpolPod(
        p.namespace(),
        p.name(),
        p.nodeName(),
        p.labels(),
        v4,
        v6,
        p.namedPorts(),
        p.hostNetwork(),
        p.finished());
  }

  /**
   * The canonical text of a pod IP of one family (an IPv4-mapped address is IPv6 here, as ipset
   * sees it), or null. Pod IPs are read as the API server validated them.
   */
  private static String canonical(String ip, IpFamily family) {
    if (ip == null) return null;
    return IpAddress.parse(ip, Syntax.KUBERNETES)
        .filter(a -> a.family() == family)
        .map(IpAddress::toString)
        .orElse(null);
  }

  /** Names of all known namespaces, sorted. */
  public Collection<String> namespaces() {
    return nsLabels.keySet();
  }

  public Map<String, String> namespaceLabels(String ns) {
    return nsLabels.getOrDefault(ns, Map.of(NAME_LABEL, ns));
  }

  /** Actionable pods of one namespace, sorted by name. */
  public List<NetpolPod> pods(String ns) {
    return podsByNs.getOrDefault(ns, List.of());
  }

  /** Every actionable pod, sorted by key. */
  public List<NetpolPod> all() {
    return all;
  }

  /** Actionable pods with a container port of this name (any protocol). */
  public List<NetpolPod> exposing(String portName) {
    return byPortName.getOrDefault(portName, List.of());
  }
}
