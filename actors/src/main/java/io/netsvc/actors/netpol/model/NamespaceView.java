package io.netsvc.actors.netpol.model;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One namespace as policies read it: its labels and its pods, at one version. Immutable, so the
 * NamespaceActor hands the same object to every policy that reads the namespace in this JVM instead
 * of each policy keeping its own copy of the pods; a change is a new view with the next version.
 * Pods are kept with canonical IPs (see {@link ClusterView#canonical}). What compiling needs (the
 * actionable pods sorted, the pods by container port name) is computed once per view, by whichever
 * policy compiles against it first.
 */
// only the properties named below cross members (not the labels derived, nor the index)
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class NamespaceView {
  private static final Comparator<NetpolPod> BY_KEY = Comparator.comparing(NetpolPod::key);

  private final String namespace;
  private final NamespaceInfo info;
  private final long version;
  private final PodTable pods;
  private final Map<String, String> labels;
  // computed lazily; a race computes it twice, equal both times, and it is immutable (final fields)
  private volatile Index index;

  /** The actionable pods sorted by key, and the same by container port name. */
  private record Index(List<NetpolPod> actionable, Map<String, List<NetpolPod>> byPortName) {}

  private NamespaceView(String namespace, NamespaceInfo info, long version, PodTable pods) {
    this.namespace = namespace;
    this.info = info;
    this.version = version;
    this.pods = pods;
    this.labels = ClusterView.withNameLabel(namespace, info == null ? Map.of() : info.labels());
  }

  /** As it crosses members: the pods as a list. */
  @JsonCreator
  public static NamespaceView of(
      @JsonProperty("namespace") String namespace,
      @JsonProperty("info") NamespaceInfo info,
      @JsonProperty("version") long version,
      @JsonProperty("pods") Collection<NetpolPod> pods) {
    List<NetpolPod> canonical = new ArrayList<>();
    if (pods != null) pods.forEach(p -> canonical.add(ClusterView.canonical(p)));
    return new NamespaceView(namespace, info, version, PodTable.of(canonical));
  }

  /** A namespace nothing is known of yet. */
  public static NamespaceView empty(String namespace, long version) {
    return new NamespaceView(namespace, null, version, PodTable.EMPTY);
  }

  @JsonProperty("namespace")
  public String namespace() {
    return namespace;
  }

  /** The Namespace object; null when it is unknown or gone. */
  @JsonProperty("info")
  public NamespaceInfo info() {
    return info;
  }

  /**
   * Increases by one with each change. An incarnation of the NamespaceActor numbers from its start
   * time, so a policy holding an older incarnation's view sees a gap.
   */
  @JsonProperty("version")
  public long version() {
    return version;
  }

  @JsonProperty("pods")
  public List<NetpolPod> pods() {
    return pods.values();
  }

  public NetpolPod pod(String name) {
    return pods.get(name);
  }

  /** The namespace's labels, with {@code kubernetes.io/metadata.name} as the API server sets it. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The next version with the namespace's labels changed ({@code null}: it is gone). */
  public NamespaceView withInfo(NamespaceInfo next) {
    return new NamespaceView(namespace, next, version + 1, pods);
  }

  /** The next version with {@code pod} added or changed. */
  public NamespaceView withPod(NetpolPod pod) {
    return new NamespaceView(namespace, info, version + 1, pods.with(ClusterView.canonical(pod)));
  }

  /** The next version without the pod {@code name}. */
  public NamespaceView withoutPod(String name) {
    return new NamespaceView(namespace, info, version + 1, pods.without(name));
  }

  /** The same content at another version (a change rebuilt from a message of a remote member). */
  public NamespaceView numbered(long v) {
    return v == version ? this : new NamespaceView(namespace, info, v, pods);
  }

  /** Actionable pods, sorted by key. */
  List<NetpolPod> actionable() {
    return index().actionable();
  }

  /** Actionable pods with a container port of this name (any protocol). */
  List<NetpolPod> exposing(String portName) {
    return index().byPortName().getOrDefault(portName, List.of());
  }

  private Index index() {
    Index i = index;
    if (i != null) return i;
    List<NetpolPod> all = new ArrayList<>();
    Map<String, List<NetpolPod>> byPort = new HashMap<>();
    for (NetpolPod p : pods.values()) {
      if (!p.actionable()) continue;
      all.add(p);
      p.namedPorts().stream()
          .map(NetpolPod.NamedPort::name)
          .filter(Objects::nonNull)
          .distinct()
          .forEach(name -> byPort.computeIfAbsent(name, k -> new ArrayList<>()).add(p));
    }
    all.sort(BY_KEY);
    byPort.values().forEach(l -> l.sort(BY_KEY));
    byPort.replaceAll((k, v) -> List.copyOf(v));
    i = new Index(List.copyOf(all), Map.copyOf(byPort));
    index = i;
    return i;
  }

  /** Same namespace, labels and pods (the version is not compared). */
  public boolean sameContent(NamespaceView o) {
    return o != null
        && namespace.equals(o.namespace)
        && Objects.equals(info, o.info)
        && pods.equals(o.pods);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamespaceView v && version == v.version && sameContent(v);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, version, pods.size());
  }

  @Override
  public String toString() {
    return "NamespaceView[" + namespace + " v" + version + ", " + pods.size() + " pods]";
  }
}
