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
 * The pods and namespaces a policy is resolved against: the {@link NamespaceView}s it reads, each
 * indexed once (actionable pods sorted, pods by container port name) however many policies compile
 * against it. Pod IPs are canonical (an unparsable IP counts as absent), so sets compare equal to
 * what the kernel prints. Immutable.
 */
public final class ClusterView {
  /** The label the API server puts on every namespace (Kubernetes ≥ 1.21). */
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private static final Comparator<NetpolPod> BY_KEY = Comparator.comparing(NetpolPod::key);

  private final Map<String, NamespaceView> views;

  private ClusterView(Map<String, NamespaceView> views) {
    this.views = views;
  }

  /** Over namespace views as the NamespaceActors hand them out (shared, not copied). */
  public static ClusterView of(Collection<NamespaceView> namespaces) {
    Map<String, NamespaceView> byName = new TreeMap<>();
    for (NamespaceView v : namespaces) byName.put(v.namespace(), v);
    return new ClusterView(Collections.unmodifiableMap(byName));
  }

  public static ClusterView of(Collection<NamespaceInfo> namespaces, Collection<NetpolPod> pods) {
    Map<String, NamespaceInfo> infos = new HashMap<>();
    for (NamespaceInfo n : namespaces) infos.put(n.name(), n);
    Map<String, List<NetpolPod>> byNs = new HashMap<>();
    for (NetpolPod p : pods) byNs.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
    List<NamespaceView> views = new ArrayList<>();
    for (NamespaceInfo n : namespaces) {
      views.add(NamespaceView.of(n.name(), n, 0, byNs.getOrDefault(n.name(), List.of())));
    }
    // a namespace we only know through its pods still exists: it has the default label
    byNs.forEach(
        (ns, list) -> {
          if (!infos.containsKey(ns) && list.stream().anyMatch(NetpolPod::actionable)) {
            views.add(NamespaceView.of(ns, null, 0, list));
          }
        });
    return of(views);
  }

  static Map<String, String> withNameLabel(String name, Map<String, String> labels) {
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
    return views.keySet();
  }

  public Map<String, String> namespaceLabels(String ns) {
    NamespaceView v = views.get(ns);
    return v == null ? Map.of(NAME_LABEL, ns) : v.labels();
  }

  /** Actionable pods of one namespace, sorted by name. */
  public List<NetpolPod> pods(String ns) {
    NamespaceView v = views.get(ns);
    return v == null ? List.of() : v.actionable();
  }

  /** Every actionable pod, sorted by key. */
  public List<NetpolPod> all() {
    List<NetpolPod> out = new ArrayList<>();
    views.values().forEach(v -> out.addAll(v.actionable()));
    out.sort(BY_KEY);
    return out;
  }

  /** Actionable pods with a container port of this name (any protocol). */
  public List<NetpolPod> exposing(String portName) {
    List<NetpolPod> out = new ArrayList<>();
    views.values().forEach(v -> out.addAll(v.exposing(portName)));
    return out;
  }
}
