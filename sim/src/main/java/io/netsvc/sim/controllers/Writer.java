package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

/**
 * Runs API writes off the decision thread. A write the API could not take (unreachable, or a 5xx)
 * is tried again every {@link #RETRY_MILLIS} for up to {@link #RETRY_FOR_MILLIS}, as a real kubelet
 * and controller manager retry theirs: a pod status lost in an API outage would otherwise leave the
 * pod Pending for good. Other failures (404, 409: the object moved on) are logged at debug; the
 * watch brings the truth.
 */
final class Writer {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
  static final long RETRY_MILLIS = 500;
  static final long RETRY_FOR_MILLIS = 10 * 60_000;
  final KubernetesClient client;
  private final ExecutorService pool;
  private final ScheduledExecutorService loop;

  Writer(KubernetesClient client, ExecutorService pool, ScheduledExecutorService loop) {
    this.client = client;
    this.pool = pool;
    this.loop = loop;
  }

  void write(String what, Consumer<KubernetesClient> call) {
    attempt(what, call, System.nanoTime());
  }

  private void attempt(String what, Consumer<KubernetesClient> call, long since) {
    pool.execute(
        () -> {
          try {
            call.accept(client);
          } catch (RuntimeException e) {
            boolean again =
                retriable(e)
                    && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) < RETRY_FOR_MILLIS;
            LOG.debug("sim write {} failed{}: {}", what, again ? ", will retry" : "", e.toString());
            if (again) {
              loop.schedule(() -> attempt(what, call, since), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
          }
        });
  }

  /** The API was not there or failed inside (no answer, or a 5xx), not a refusal of the write. */
  static boolean retriable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) return true;
      if (t instanceof KubernetesClientException k && k.getCode() >= 500) return true;
    }
    return e instanceof KubernetesClientException k && k.getCode() == 0;
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
