package io.netsvc.k8s;

import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Every write of netsvc's cloud-controller stub and of the CoreDNS NodeHosts keeper. Asynchronous:
 * never blocks the caller (an actor). Works on a real API server and on the embedded one (JSON
 * merge patches, no SSA).
 */
public interface CloudNodeApi {
  /** The event source, as the upstream controller names it. */
  String COMPONENT = "cloud-node-controller";

  /**
   * Merge-patches the Node's annotations: a null value removes the key. Nothing is sent for an
   * empty map. Fails (with the client's exception) if the Node does not exist yet, so the agent
   * that waits for its Node can retry.
   */
  CompletionStage<Void> patchNodeAnnotations(String node, Map<String, String> changes);

  /**
   * Applies the cloud-node controller's decision: {@code status.addresses} first (through the
   * status subresource), then providerID, labels and the removal of the uninitialized taint in one
   * patch guarded by the resourceVersion (retried on 409), so whoever waits for the taint to go
   * already sees the addresses. A providerID is only set where the Node has none, and only labels
   * that still differ are sent. A Node that is gone is not an error.
   *
   * @param addresses the whole new list, or empty to leave it
   */
  CompletionStage<Void> applyCloudNodeUpdate(
      String node,
      Optional<String> providerID,
      Map<String, String> labelsToSet,
      boolean removeTaint,
      Optional<List<NodeAddress>> addresses);

  /**
   * Reads ConfigMap {@code coredns} in the namespace, applies {@code edit} to {@code
   * data.NodeHosts} (null when the key is absent) and writes the result when it differs; a 409
   * re-reads and edits again, so {@code edit} must be a pure function. A missing ConfigMap is left
   * missing. Completes with true when it wrote.
   */
  CompletionStage<Boolean> updateNodeHosts(String namespace, UnaryOperator<String> edit);

  /**
   * Records a core/v1 Event from {@value #COMPONENT} (repeats bump the count). An object without
   * namespace, like a Node, gets its event in "default", as client-go does. Fire and forget.
   */
  void event(ObjectRef about, String type, String reason, String message);
}
