package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.EditReplacePatchable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs API writes off the decision thread; failures are logged (the watch brings the truth). */
final class Writer {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
  final KubernetesClient client;
  private final ExecutorService pool;
  private final ScheduledExecutorService loop;

  Writer(KubernetesClient client, ExecutorService pool, ScheduledExecutorService loop) {
    this.client = client;
    this.pool = pool;
    this.loop = loop;
  }

  void write(String what, Consumer<KubernetesClient> call) {
    pool.execute(
        () -> {
          try {
            call.accept(client);
          } catch (RuntimeException e) {
            LOG.debug("sim write {} failed: {}", what, e.toString());
          }
        });
  }

  /**
   * A JSON merge patch of what {@code target} selects: an object, or its status subresource (the
   * API server's allocations, the controllers' and kubelets' status writes).
   */
  void mergePatch(
      String what, Function<KubernetesClient, EditReplacePatchable<?>> target, String json) {
    write(what, c -> target.apply(c).patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  /** Run on the decision thread after a delay (debounced status updates). */
  void later(long millis, Runnable r) {
    loop.schedule(r, millis, TimeUnit.MILLISECONDS);
  }

  /** Deletes the pod at once (grace 0), as a kubelet-less cluster must. */
  void deletePod(io.fabric8.kubernetes.api.model.Pod p) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    write(
        "delete pod " + name,
        c -> c.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete());
  }
}
