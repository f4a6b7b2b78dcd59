package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.ObjectRef;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** {@link CloudNodeApi} with the fabric8 client; blocking calls run on a pool of its own. */
public final class FabricCloudNodeApi implements CloudNodeApi, AutoCloseable {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final String UNINITIALIZED_TAINT =
      "node.cloudprovider.kubernetes.io/uninitialized";
  private static final String CORE_DNS = "coredns";
  private static final String NODE_HOSTS = "NodeHosts";
  private static final int MAX_CONFLICTS = 10;

  private final KubernetesClient client;
  private final ExecutorService pool;
  private final EventRecorder events;
  private final EventRecorder clusterScopedEvents;

  public FabricCloudNodeApi(KubernetesClient client, int ioThreads) {
    this.client = client;
    this.pool = IoPools.daemon("netsvc-ccm-io", ioThreads);
    this.events = new EventRecorder(client, COMPONENT);
    // events about Nodes live in "default" whatever namespace the client's config names
    this.clusterScopedEvents =
        new EventRecorder(
            client.adapt(NamespacedKubernetesClient.class).inNamespace("default"), COMPONENT);
  }

  private <T> CompletionStage<T> io(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, pool);
  }

  @Override
  public CompletionStage<Void> patchNodeAnnotations(String node, Map<String, String> changes) {
    if (changes.isEmpty()) return CompletableFuture.completedFuture(null);
    // HashMap: the nulls must reach the JSON, where they remove the key
    Map<String, Object> patch = Map.of("metadata", Map.of("annotations", new HashMap<>(changes)));
    return io(
        () -> {
          client.nodes().withName(node).patch(MERGE, Json.write(patch));
          return null;
        });
  }

  @Override
  public CompletionStage<Void> applyCloudNodeUpdate(
      String node,
      Optional<String> providerID,
      Map<String, String> labelsToSet,
      boolean removeTaint,
      Optional<List<NodeAddress>> addresses) {
    return io(
        () -> {
          if (addresses.isPresent() && !patchAddresses(node, addresses.get())) return null;
          if (providerID.isPresent() || !labelsToSet.isEmpty() || removeTaint) {
            patchNode(node, providerID, labelsToSet, removeTaint);
          }
          return null;
        });
  }

  /** False when the Node is gone. A merge patch replaces the whole list, as intended. */
  private boolean patchAddresses(String node, List<NodeAddress> addresses) {
    List<Map<String, String>> list =
        addresses.stream().map(a -> Map.of("type", a.type(), "address", a.address())).toList();
    try {
      client
          .nodes()
          .withName(node)
          .subresource("status")
          .patch(MERGE, Json.write(Map.of("status", Map.of("addresses", list))));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return false;
      throw e;
    }
  }

  /** One patch with the resourceVersion: the taint list is replaced whole, so it must be fresh. */
  private void patchNode(
      String node, Optional<String> providerID, Map<String, String> labels, boolean removeTaint) {
    for (int attempt = 0; ; attempt++) {
      Node live = client.nodes().withName(node).get();
      if (live == null) return;
      Map<String, Object> meta = new LinkedHashMap<>();
      Map<String, Object> spec = new LinkedHashMap<>();
      Map<String, String> liveLabels = orEmpty(live.getMetadata().getLabels());
      Map<String, String> changed = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!Objects.equals(liveLabels.get(e.getKey()), e.getValue())) {
          changed.put(e.getKey(), e.getValue());
        }
      }
      if (!changed.isEmpty()) meta.put("labels", changed);
      String liveId = live.getSpec() == null ? null : live.getSpec().getProviderID();
      // the API server refuses to change a providerID once set
      if (providerID.isPresent() && (liveId == null || liveId.isEmpty())) {
        spec.put("providerID", providerID.get());
      }
      List<Taint> taints =
          live.getSpec() == null || live.getSpec().getTaints() == null
              ? List.of()
              : live.getSpec().getTaints();
      List<Taint> kept =
          taints.stream().filter(t -> !UNINITIALIZED_TAINT.equals(t.getKey())).toList();
      if (removeTaint && kept.size() != taints.size()) {
        spec.put("taints", kept.isEmpty() ? null : kept);
      }
      if (meta.isEmpty() && spec.isEmpty()) return;
      meta.put("resourceVersion", live.getMetadata().getResourceVersion());
      Map<String, Object> patch = new HashMap<>();
      patch.put("metadata", meta);
      if (!spec.isEmpty()) patch.put("spec", spec);
      try {
        client.nodes().withName(node).patch(MERGE, Json.write(patch));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        if (e.getCode() != 409 || attempt >= MAX_CONFLICTS) throw e;
      }
    }
  }

  @Override
  public CompletionStage<Boolean> updateNodeHosts(String namespace, UnaryOperator<String> edit) {
    return io(
        () -> {
          var ref = client.configMaps().inNamespace(namespace).withName(CORE_DNS);
          for (int attempt = 0; ; attempt++) {
            ConfigMap cm = ref.get();
            if (cm == null) return false;
            String old = cm.getData() == null ? null : cm.getData().get(NODE_HOSTS);
            String updated = edit.apply(old);
            if (updated == null || updated.equals(old)) return false;
            // merge patch: the other keys (Corefile) stay as the deployer left them
            Map<String, Object> patch =
                Map.of(
                    "metadata", Map.of("resourceVersion", cm.getMetadata().getResourceVersion()),
                    "data", Map.of(NODE_HOSTS, updated));
            try {
              ref.patch(MERGE, Json.write(patch));
              return true;
            } catch (KubernetesClientException e) {
              if (e.getCode() == 404) return false;
              if (e.getCode() != 409 || attempt >= MAX_CONFLICTS) throw e;
            }
          }
        });
  }

  @Override
  public void event(ObjectRef about, String type, String reason, String message) {
    EventRecorder recorder =
        about.namespace() == null || about.namespace().isEmpty() ? clusterScopedEvents : events;
    pool.execute(() -> recorder.record(about, type, reason, message));
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
