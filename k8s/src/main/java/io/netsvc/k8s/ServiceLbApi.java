package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Every write ServiceLB makes to the Kubernetes API. Asynchronous: never blocks the caller (an
 * actor). Works on a real API server and on the embedded one (JSON patches, no SSA).
 */
public interface ServiceLbApi {
  /** How {@link #applyDaemonSet} ended. */
  enum ApplyResult {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  CompletionStage<Void> ensureNamespaceAndServiceAccount(String namespace, String serviceAccount);

  /** Create, or update labels/annotations/spec when they differ from {@code desired}. */
  CompletionStage<ApplyResult> applyDaemonSet(DaemonSet desired);

  /** True if it existed and was deleted. */
  CompletionStage<Boolean> deleteDaemonSet(String namespace, String name);

  /** Deletes every DaemonSet in the namespace that carries the label key; returns how many. */
  CompletionStage<Integer> deleteDaemonSetsWithLabel(String namespace, String labelKey);

  CompletionStage<List<String>> listDaemonSetNames(String namespace, String labelKey);

  CompletionStage<Void> addFinalizer(String namespace, String name, String finalizer);

  CompletionStage<Void> removeFinalizer(String namespace, String name, String finalizer);

  /** Removes the finalizer from every Service without a loadBalancerClass; returns how many. */
  CompletionStage<Integer> removeFinalizerFromAllServices(String finalizer);

  /** Merge-patches {@code status.loadBalancer}; an empty list clears it. */
  CompletionStage<Void> patchLoadBalancerStatus(
      String namespace, String name, List<IngressInfo> ingress);

  /** Records a core/v1 Event (repeats bump the count). Fire and forget. */
  void event(ObjectRef about, String type, String reason, String message);
}
