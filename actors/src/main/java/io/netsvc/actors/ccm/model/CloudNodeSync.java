package io.netsvc.actors.ccm.model;

import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cloud-node controller must write on one Node: K3s's InstancesV2 metadata (taken from the
 * agent's address annotations) applied the way the upstream cloud-node controller applies it. Only
 * differences are returned, so a node that already matches gives {@link InSync}.
 */
public final class CloudNodeSync {
  public static final String UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized";
  public static final String PROVIDER_ID_PREFIX = "k3s://";
  public static final String DEFAULT_INSTANCE_TYPE = "k3s";
  public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  public static final String INSTANCE_TYPE_BETA = "beta.kubernetes.io/instance-type";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String ZONE_BETA = "failure-domain.beta.kubernetes.io/zone";
  public static final String REGION = "topology.kubernetes.io/region";
  public static final String REGION_BETA = "failure-domain.beta.kubernetes.io/region";

  /**
   * The upstream controller's event once a node is initialised (component cloud-node-controller).
   */
  public static final String SYNCED_REASON = "Synced";

  public static final String SYNCED_MESSAGE = "Node synced successfully";
  public static final String NOT_YET_SET = "address annotations not yet set";

  private CloudNodeSync() {}

  /** The outcome of {@link #decide}. */
  public sealed interface Result permits Waiting, InSync, Update {}

  /** The agent has not annotated the node yet; it keeps its taint. Try again on its next change. */
  public record Waiting(String reason) implements Result {}

  /** Nothing to write. */
  public record InSync() implements Result {}

  /**
   * The writes to make. {@code labelsToSet} holds only labels whose value differs; {@code
   * addresses}, when present, is the whole new {@code status.addresses} list.
   */
  public record Update(
      Optional<String> providerID,
      Map<String, String> labelsToSet,
      boolean removeTaint,
      Optional<List<NodeAddress>> addresses)
      implements Result {}

  public static Result decide(NodeInfo node) {
    Map<String, String> labels = orEmpty(node.labels());
    Map<String, String> annotations = orEmpty(node.annotations());
    if (isEmpty(annotations.get(NodeAnnotations.INTERNAL_IP))
        && isEmpty(labels.get(NodeAnnotations.INTERNAL_IP))) {
      return new Waiting(NOT_YET_SET);
    }
    Optional<String> providerID =
        isEmpty(node.providerID())
            ? Optional.of(PROVIDER_ID_PREFIX + node.name())
            : Optional.empty();
    Map<String, String> labelsToSet = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : desiredLabels(labels).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) labelsToSet.put(e.getKey(), e.getValue());
    }
    boolean removeTaint = uninitialized(node);
    List<NodeAddress> wanted = addresses(node);
    Optional<List<NodeAddress>> addresses =
        wanted.isEmpty() || wanted.equals(node.addresses())
            ? Optional.empty()
            : Optional.of(wanted);
    if (providerID.isEmpty() && labelsToSet.isEmpty() && !removeTaint && addresses.isEmpty()) {
      return new InSync();
    }
    return new Update(providerID, Collections.unmodifiableMap(labelsToSet), removeTaint, addresses);
  }

  /** The Node still has the cloud provider's uninitialized taint. */
  public static boolean uninitialized(NodeInfo node) {
    return node.taints() != null
        && node.taints().stream().map(TaintInfo::key).anyMatch(UNINITIALIZED_TAINT::equals);
  }

  /**
   * Instance type (GA label, else "k3s"), zone and region, each as its GA and beta label pair; the
   * upstream controller sets them at initialisation and keeps the beta copies equal after.
   */
  static Map<String, String> desiredLabels(Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>();
    String type = labels.get(INSTANCE_TYPE);
    if (isEmpty(type)) type = DEFAULT_INSTANCE_TYPE;
    out.put(INSTANCE_TYPE, type);
    out.put(INSTANCE_TYPE_BETA, type);
    String zone = labels.get(ZONE);
    if (!isEmpty(zone)) {
      out.put(ZONE, zone);
      out.put(ZONE_BETA, zone);
    }
    String region = labels.get(REGION);
    if (!isEmpty(region)) {
      out.put(REGION, region);
      out.put(REGION_BETA, region);
    }
    return out;
  }

  /**
   * K3s's NodeAddresses order: InternalIP, ExternalIP, InternalDNS, ExternalDNS, Hostname, each
   * from the annotation (comma list) or else the legacy label. Without a Hostname from either, the
   * kubelet's own Hostname address is kept, as the upstream controller does.
   */
  static List<NodeAddress> addresses(NodeInfo node) {
    Map<String, String> labels = orEmpty(node.labels());
    Map<String, String> annotations = orEmpty(node.annotations());
    List<NodeAddress> out = new ArrayList<>();
    addEach(
        out, "InternalIP", annotationElseLabel(annotations, labels, NodeAnnotations.INTERNAL_IP));
    addEach(
        out, "ExternalIP", annotationElseLabel(annotations, labels, NodeAnnotations.EXTERNAL_IP));
    addEach(out, "InternalDNS", annotations.get(NodeAnnotations.INTERNAL_DNS));
    addEach(out, "ExternalDNS", annotations.get(NodeAnnotations.EXTERNAL_DNS));
    String hostname = annotationElseLabel(annotations, labels, NodeAnnotations.HOSTNAME);
    if (!isEmpty(hostname)) {
      out.add(new NodeAddress("Hostname", hostname));
    } else if (node.addresses() != null) {
      node.addresses().stream().filter(a -> "Hostname".equals(a.type())).forEach(out::add);
    }
    return List.copyOf(out);
  }

  private static String annotationElseLabel(
      Map<String, String> annotations, Map<String, String> labels, String key) {
    String v = annotations.get(key);
    return isEmpty(v) ? labels.get(key) : v;
  }

  private static void addEach(List<NodeAddress> out, String type, String commaList) {
    if (isEmpty(commaList)) return;
    for (String item : commaList.split(",")) {
      // an empty item ("a,,b") would be an empty address; K3s would write it, nobody wants it
      if (!item.isEmpty()) out.add(new NodeAddress(type, item));
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
