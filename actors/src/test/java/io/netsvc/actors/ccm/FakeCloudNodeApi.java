package io.netsvc.actors.ccm;

import io.netsvc.actors.ccm.model.CloudNodeSync;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ObjectRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The API server side of {@link CloudNodeApi} for one Node and ConfigMap coredns, in memory: writes
 * change them the way the real calls do, every write and event is recorded, and a test can make the
 * next write fail. Only the I/O is faked; every decision stays in netsvc's code. The Node's side is
 * for one thread; the ConfigMap's may be used by an actor while the test reads it.
 */
final class FakeCloudNodeApi implements CloudNodeApi {
  /** One write, as the keeper asked for it. */
  sealed interface Write permits AnnotationPatch, CloudUpdate {}

  record AnnotationPatch(Map<String, String> changes) implements Write {}

  record CloudUpdate(
      Optional<String> providerID,
      Map<String, String> labels,
      boolean removeTaint,
      Optional<List<NodeAddress>> addresses)
      implements Write {}

  record Event(String type, String reason, String message) {}

  final List<Write> writes = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  private NodeInfo node;
  private String failNext;

  /** Whether ConfigMap coredns exists, its NodeHosts (null: no such key), the next failure. */
  private boolean coredns;

  private String nodeHosts;
  private String failNextNodeHosts;

  /** The namespace of every NodeHosts update, failed ones too, in order. */
  final List<String> nodeHostsUpdates = new CopyOnWriteArrayList<>();

  /** A fake about {@code node}; null where only the ConfigMap matters. */
  FakeCloudNodeApi(NodeInfo node) {
    this.node = node;
  }

  /** ConfigMap coredns exists, with this NodeHosts (null: without the key). */
  synchronized void coredns(String hosts) {
    coredns = true;
    nodeHosts = hosts;
  }

  /** The NodeHosts text now (null: no key or no ConfigMap). */
  synchronized String nodeHosts() {
    return nodeHosts;
  }

  /** The next NodeHosts update fails with this message and changes nothing. */
  synchronized void failNextNodeHosts(String message) {
    failNextNodeHosts = message;
  }

  /** The Node as a watch would show it now. */
  NodeInfo node() {
    return node;
  }

  /** Someone else (kubelet, an admin) changed the Node. */
  void replace(NodeInfo changed) {
    node = changed;
  }

  /** The next write fails with this message and changes nothing. */
  void failNext(String message) {
    failNext = message;
  }

  @Override
  public CompletionStage<Void> patchNodeAnnotations(String name, Map<String, String> changes) {
    writes.add(new AnnotationPatch(changes));
    if (failNext != null) return failed();
    Map<String, String> annotations = new HashMap<>(node.annotations());
    changes.forEach(
        (k, v) -> {
          if (v == null) annotations.remove(k);
          else annotations.put(k, v);
        });
    node =
        new NodeInfo(
            node.name(),
            node.labels(),
            Map.copyOf(annotations),
            node.addresses(),
            node.taints(),
            node.providerID());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> applyCloudNodeUpdate(
      String name,
      Optional<String> providerID,
      Map<String, String> labelsToSet,
      boolean removeTaint,
      Optional<List<NodeAddress>> addresses) {
    writes.add(new CloudUpdate(providerID, labelsToSet, removeTaint, addresses));
    if (failNext != null) return failed();
    Map<String, String> labels = new HashMap<>(node.labels());
    labels.putAll(labelsToSet);
    node =
        new NodeInfo(
            node.name(),
            Map.copyOf(labels),
            node.annotations(),
            addresses.orElse(node.addresses()),
            removeTaint
                ? node.taints().stream()
                    .filter(t -> !t.key().equals(CloudNodeSync.UNINITIALIZED_TAINT))
                    .toList()
                : node.taints(),
            node.providerID() == null ? providerID.orElse(null) : node.providerID());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Boolean> updateNodeHosts(
      String namespace, UnaryOperator<String> edit) {
    nodeHostsUpdates.add(namespace);
    if (failNextNodeHosts != null) {
      String message = failNextNodeHosts;
      failNextNodeHosts = null;
      return CompletableFuture.failedFuture(new IllegalStateException(message));
    }
    if (!coredns) return CompletableFuture.completedFuture(false);
    String edited = edit.apply(nodeHosts);
    if (Objects.equals(edited, nodeHosts)) return CompletableFuture.completedFuture(false);
    nodeHosts = edited;
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public void event(ObjectRef about, String type, String reason, String message) {
    if (node == null || !about.kind().equals("Node") || !about.name().equals(node.name())) {
      throw new AssertionError("event about another object: " + about);
    }
    events.add(new Event(type, reason, message));
  }

  private CompletionStage<Void> failed() {
    String message = failNext;
    failNext = null;
    return CompletableFuture.failedFuture(new IllegalStateException(message));
  }
}
