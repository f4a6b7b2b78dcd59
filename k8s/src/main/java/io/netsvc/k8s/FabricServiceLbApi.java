package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.netsvc.k8s.convert.AppliedHash;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** {@link ServiceLbApi} with the fabric8 client; blocking calls run on a pool of its own. */
public final class FabricServiceLbApi implements ServiceLbApi, AutoCloseable {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private final KubernetesClient client;
  private final ExecutorService pool;
  private final EventRecorder events;

  public FabricServiceLbApi(KubernetesClient client, String component, int ioThreads) {
    this.client = client;
    this.pool = IoPools.daemon("netsvc-k8s-io", ioThreads);
    this.events = new EventRecorder(client, component);
  }

  private <T> CompletionStage<T> io(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, pool);
  }

  @Override
  public CompletionStage<Void> ensureNamespaceAndServiceAccount(String ns, String sa) {
    return io(
        () -> {
          createIfAbsent(
              new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
          createIfAbsent(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(sa)
                  .withNamespace(ns)
                  .endMetadata()
                  .build());
          return null;
        });
  }

  private void createIfAbsent(HasMetadata o) {
    if (client.resource(o).get() != null) return;
    try {
      client.resource(o).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }

  @Override
  public CompletionStage<ApplyResult> applyDaemonSet(DaemonSet desired) {
    return io(
        () -> {
          var ref =
              client
                  .apps()
                  .daemonSets()
                  .inNamespace(desired.getMetadata().getNamespace())
                  .withName(desired.getMetadata().getName());
          for (int attempt = 0; ; attempt++) {
            DaemonSet live = ref.get();
            if (live == null) {
              try {
                client.apps().daemonSets().resource(desired).create();
                return ApplyResult.CREATED;
              } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) throw e;
                continue;
              }
            }
            if (unchanged(live, desired)) return ApplyResult.UNCHANGED;
            live.setSpec(desired.getSpec());
            live.getMetadata()
                .setLabels(
                    merged(live.getMetadata().getLabels(), desired.getMetadata().getLabels()));
            live.getMetadata()
                .setAnnotations(
                    merged(
                        live.getMetadata().getAnnotations(),
                        desired.getMetadata().getAnnotations()));
            try {
              client.apps().daemonSets().resource(live).update();
              return ApplyResult.UPDATED;
            } catch (KubernetesClientException e) {
              if (e.getCode() != 409 || attempt >= 5) throw e;
            }
          }
        });
  }

  /**
   * True when applying {@code desired} over {@code live} would change nothing (see {@link
   * AppliedHash#unchanged}: a stamped {@code desired} is compared by its hash, since the server
   * adds defaults to the spec it stores).
   */
  public static boolean unchanged(DaemonSet live, DaemonSet desired) {
    return AppliedHash.unchanged(live, desired);
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new LinkedHashMap<>(a == null ? Map.of() : a);
    if (b != null) out.putAll(b);
    return out;
  }

  @Override
  public CompletionStage<Boolean> deleteDaemonSet(String ns, String name) {
    return io(() -> !client.apps().daemonSets().inNamespace(ns).withName(name).delete().isEmpty());
  }

  @Override
  public CompletionStage<Integer> deleteDaemonSetsWithLabel(String ns, String labelKey) {
    return io(
        () -> {
          int n = 0;
          for (DaemonSet ds : client.apps().daemonSets().inNamespace(ns).list().getItems()) {
            var labels = ds.getMetadata().getLabels();
            if (labels != null && labels.containsKey(labelKey)) {
              n += client.resource(ds).delete().isEmpty() ? 0 : 1;
            }
          }
          return n;
        });
  }

  @Override
  public CompletionStage<List<String>> listDaemonSetNames(String ns, String labelKey) {
    return io(
        () ->
            client.apps().daemonSets().inNamespace(ns).list().getItems().stream()
                .filter(
                    ds ->
                        ds.getMetadata().getLabels() != null
                            && ds.getMetadata().getLabels().containsKey(labelKey))
                .map(ds -> ds.getMetadata().getName())
                .toList());
  }

  @Override
  public CompletionStage<Void> addFinalizer(String ns, String name, String finalizer) {
    return io(() -> editFinalizers(ns, name, finalizer, true)).thenApply(changed -> null);
  }

  @Override
  public CompletionStage<Void> removeFinalizer(String ns, String name, String finalizer) {
    return io(() -> editFinalizers(ns, name, finalizer, false)).thenApply(changed -> null);
  }

  /** Merge patch carrying the resourceVersion: a concurrent change gives 409 and a retry. */
  private boolean editFinalizers(String ns, String name, String finalizer, boolean add) {
    for (int attempt = 0; ; attempt++) {
      var svc = client.services().inNamespace(ns).withName(name).get();
      if (svc == null) return false;
      List<String> finalizers =
          new ArrayList<>(
              svc.getMetadata().getFinalizers() == null
                  ? List.of()
                  : svc.getMetadata().getFinalizers());
      if (add == finalizers.contains(finalizer)) return false;
      if (add) finalizers.add(finalizer);
      else finalizers.remove(finalizer);
      Map<String, Object> meta = new HashMap<>();
      meta.put("finalizers", finalizers);
      meta.put("resourceVersion", svc.getMetadata().getResourceVersion());
      try {
        client
            .services()
            .inNamespace(ns)
            .withName(name)
            .patch(MERGE, Json.write(Map.of("metadata", meta)));
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return false;
        if (e.getCode() != 409 || attempt >= 10) throw e;
      }
    }
  }

  @Override
  public CompletionStage<Integer> removeFinalizerFromAllServices(String finalizer) {
    return io(
        () -> {
          int n = 0;
          for (var s : client.services().inAnyNamespace().list().getItems()) {
            boolean has =
                s.getMetadata().getFinalizers() != null
                    && s.getMetadata().getFinalizers().contains(finalizer);
            boolean classed = s.getSpec() != null && s.getSpec().getLoadBalancerClass() != null;
            if (has
                && !classed
                && editFinalizers(
                    s.getMetadata().getNamespace(), s.getMetadata().getName(), finalizer, false)) {
              n++;
            }
          }
          return n;
        });
  }

  @Override
  public CompletionStage<Void> patchLoadBalancerStatus(
      String ns, String name, List<IngressInfo> ingress) {
    return io(
        () -> {
          List<Map<String, Object>> entries = new ArrayList<>();
          for (IngressInfo i : ingress) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (i.ip() != null) e.put("ip", i.ip());
            if (i.hostname() != null) e.put("hostname", i.hostname());
            if (i.ipMode() != null) e.put("ipMode", i.ipMode());
            entries.add(e);
          }
          // null (not []) removes the key, so kubectl shows <pending> again
          Map<String, Object> lb = new HashMap<>();
          lb.put("ingress", entries.isEmpty() ? null : entries);
          String patch = Json.write(Map.of("status", Map.of("loadBalancer", lb)));
          try {
            client
                .services()
                .inNamespace(ns)
                .withName(name)
                .subresource("status")
                .patch(MERGE, patch);
          } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
          }
          return null;
        });
  }

  @Override
  public void event(ObjectRef about, String type, String reason, String message) {
    pool.execute(() -> events.record(about, type, reason, message));
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
