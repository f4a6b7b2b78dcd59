package io.netsvc.actors.ccm;

import io.netsvc.actors.ccm.model.CloudNodeSync;
import io.netsvc.actors.ccm.model.NodeAnnotations;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ObjectRef;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;

/**
 * The cloud-controller stub's part of a NodeActor: keeps the K3s address annotations its agent asks
 * for (or removes them when the stub is disabled), then turns them into {@code status.addresses},
 * the providerID, the instance-type labels and the removal of the uninitialized taint. One write at
 * a time; a write happens only when the observed Node differs from what is wanted, and after a
 * successful one the keeper waits for the watch to show the result instead of deciding again from a
 * stale Node.
 */
public final class CloudNodeKeeper implements NodeParts.Cloud {
  private final String node;
  private final CloudNodeApi api;
  private final boolean enabled;
  private final Logger log;
  private final BiConsumer<CompletionStage<Void>, Boolean> pipe;
  private final CloudNodeMetrics metrics;
  // when this keeper first saw the Node with the uninitialized taint; 0: not waiting
  private long taintedSince;
  private NodeInfo observed;
  private AgentIdentity identity;
  private boolean inFlight;
  private boolean redo;
  private String status = "node not observed yet";

  /**
   * @param api null on members without a Kubernetes client (the keeper then does nothing)
   * @param enabled false for {@code --disable-cloud-controller}
   * @param pipe runs a write and reports (to the actor) whether it removed the taint
   */
  public CloudNodeKeeper(
      String node,
      CloudNodeApi api,
      boolean enabled,
      Logger log,
      BiConsumer<CompletionStage<Void>, Boolean> pipe) {
    this(node, api, enabled, log, pipe, CloudNodeMetrics.NONE);
  }

  /** As above, reporting writes and initialisation times to {@code metrics}. */
  public CloudNodeKeeper(
      String node,
      CloudNodeApi api,
      boolean enabled,
      Logger log,
      BiConsumer<CompletionStage<Void>, Boolean> pipe,
      CloudNodeMetrics metrics) {
    this.metrics = metrics;
    this.node = node;
    this.api = api;
    this.enabled = enabled;
    this.log = log;
    this.pipe = pipe;
    if (!enabled) status = "disabled (--disable-cloud-controller)";
  }

  /**
   * The keepers of the nodes.
   *
   * @param api null on members without a Kubernetes client (the keepers then do nothing)
   * @param enabled false for {@code --disable-cloud-controller}
   */
  public static NodeParts.Cloud.Factory factory(CloudNodeApi api, boolean enabled) {
    return factory(api, enabled, CloudNodeMetrics.NONE);
  }

  /** As {@link #factory(CloudNodeApi, boolean)}, reporting to {@code metrics}. */
  public static NodeParts.Cloud.Factory factory(
      CloudNodeApi api, boolean enabled, CloudNodeMetrics metrics) {
    return (node, log, pipe) -> new CloudNodeKeeper(node, api, enabled, log, pipe, metrics);
  }

  /** The watch shows the Node as it is now. */
  @Override
  public void observed(NodeInfo info) {
    observed = info;
    if (taintedSince == 0 && CloudNodeSync.uninitialized(info)) taintedSince = System.nanoTime();
    reconcile();
  }

  /** The node's agent (re)registered with the addresses it was started with. */
  @Override
  public void agent(AgentIdentity id) {
    if (id.equals(identity)) return;
    identity = id;
    reconcile();
  }

  /** A write ended; {@code error} is null on success. */
  @Override
  public void written(String error, boolean removedTaint) {
    inFlight = false;
    metrics.nodeWrite(error == null);
    if (error != null) {
      log.warn("cloud-node: writing node {} failed, retrying: {}", node, error);
      redo = true;
      return; // the actor retries after a pause
    }
    if (removedTaint) {
      if (taintedSince != 0) metrics.nodeInitialized(System.nanoTime() - taintedSince);
      taintedSince = 0;
      api.event(nodeRef(), "Normal", CloudNodeSync.SYNCED_REASON, CloudNodeSync.SYNCED_MESSAGE);
      log.info("cloud-node: node {} initialized", node);
    }
    if (redo) reconcile();
  }

  /** After a failed write: try again with what is known now. */
  @Override
  public void retry() {
    if (redo) reconcile();
  }

  /** What the Management route shows: synced, waiting (and why), or disabled. */
  @Override
  public String status() {
    return status;
  }

  private void reconcile() {
    if (api == null || observed == null) return;
    if (inFlight) {
      redo = true;
      return;
    }
    redo = false;
    if (identity != null) {
      Map<String, String> changes = NodeAnnotations.changes(observed.annotations(), desired());
      if (!changes.isEmpty()) {
        write(api.patchNodeAnnotations(node, changes), false);
        return;
      }
    }
    if (!enabled) return;
    CloudNodeSync.Result r = CloudNodeSync.decide(observed);
    if (r instanceof CloudNodeSync.Waiting w) {
      if (!status.equals("waiting: " + w.reason())) {
        log.info("cloud-node: node {} stays tainted: {}", node, w.reason());
      }
      status = "waiting: " + w.reason();
    } else if (r instanceof CloudNodeSync.InSync) {
      status = "synced";
    } else if (r instanceof CloudNodeSync.Update u) {
      status = "syncing";
      write(
          api.applyCloudNodeUpdate(
              node, u.providerID(), u.labelsToSet(), u.removeTaint(), u.addresses()),
          u.removeTaint());
    }
  }

  private Map<String, String> desired() {
    return NodeAnnotations.desired(
        enabled,
        identity.nodeIPs(),
        identity.externalIPs(),
        identity.internalDns(),
        identity.externalDns(),
        identity.hostname(),
        node);
  }

  private void write(CompletionStage<Void> stage, boolean removesTaint) {
    inFlight = true;
    pipe.accept(stage, removesTaint);
  }

  private ObjectRef nodeRef() {
    return new ObjectRef("v1", "Node", "", node, node, "");
  }
}
