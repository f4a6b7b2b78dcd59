package io.netsvc.chaos;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The harness as the kubelet of the server processes, for the pod witness: each server has a Pod in
 * the sim's API (namespace {@link #NAMESPACE}, the witness's default labels, podIP 127.0.0.1 shared
 * by all, the server's Artery port as the container port named {@code remoting}), whose netsvc
 * container is reported running while the process runs, terminated (with the exit code) right after
 * the harness killed it, and running again with one more restart when it is restarted. A kubelet
 * notices a container's exit at its next relist (PLEG, every second), so the terminated state is
 * written {@link #REPORT_DELAY} after the kill ({@code -Dnetsvc.chaos.kubeletDelayMs}). The pods
 * are bound to a node the sim does not have, so the sim's scheduler and kubelets leave them alone.
 */
final class KubeletPods {
  static final String NAMESPACE = "netsvc-system";
  static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "netsvc");

  /** The JVM options that turn the witness on in a server, with these pods' namespace. */
  static final List<String> SERVER_OPTS =
      List.of("-Dnetsvc.witness.enabled=on", "-Dnetsvc.witness.namespace=" + NAMESPACE);

  static final Duration REPORT_DELAY =
      Duration.ofMillis(Long.getLong("netsvc.chaos.kubeletDelayMs", 1000));

  private final KubernetesClient client;
  private final ScheduledExecutorService kubelet =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chaos-kubelet");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
  private final Map<String, Integer> endReported = new ConcurrentHashMap<>();

  KubeletPods(KubernetesClient client) {
    this.client = client;
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
  }

  /** The server's process was started: its pod exists and its container runs. */
  void started(ProcessCluster.Server s) {
    // a report of the previous incarnation's end still due goes first, as on a real node
    ScheduledFuture<?> before = pending.remove(s.name());
    if (before != null) {
      try {
        before.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        throw new IllegalStateException("reporting " + s + " ended", e.getCause());
      }
    }
    if (client.pods().inNamespace(NAMESPACE).withName(s.name()).get() == null) {
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withNamespace(NAMESPACE)
              .withName(s.name())
              .withLabels(LABELS)
              .endMetadata()
              .withNewSpec()
              .withNodeName("chaos-host")
              .addNewContainer()
              .withName("netsvc")
              .withImage("netsvc")
              .addNewPort()
              .withName("remoting")
              .withContainerPort(s.clusterPort)
              .endPort()
              .endContainer()
              .endSpec()
              .build();
      client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }
    status(s, s.incarnation - 1, Map.of("running", Map.of("startedAt", Instant.now().toString())));
  }

  /** The server's process ended with {@code exitCode}: reported {@link #REPORT_DELAY} later. */
  void ended(ProcessCluster.Server s, int exitCode) {
    int restarts = s.incarnation - 1; // read now: a restart may come before the report
    // once per incarnation: restart() reports again what kill9() or sigterm() reported
    if (Integer.valueOf(restarts).equals(endReported.put(s.name(), restarts))) return;
    pending.put(
        s.name(),
        kubelet.schedule(
            () -> terminated(s, restarts, exitCode),
            REPORT_DELAY.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void terminated(ProcessCluster.Server s, int restarts, int exitCode) {
    status(
        s,
        restarts,
        Map.of(
            "terminated",
            Map.of(
                "exitCode",
                exitCode,
                "reason",
                exitCode == 0 ? "Completed" : "Error",
                "finishedAt",
                Instant.now().toString())));
  }

  /** A server's pod as the API has it now (for failure messages). */
  Pod pod(ProcessCluster.Server s) {
    return client.pods().inNamespace(NAMESPACE).withName(s.name()).get();
  }

  void close() {
    kubelet.shutdownNow();
  }

  private void status(ProcessCluster.Server s, int restarts, Map<String, Object> state) {
    Map<String, Object> container =
        Map.of(
            "name",
            "netsvc",
            "image",
            "netsvc",
            "ready",
            state.containsKey("running"),
            // the kubelet counts restarts of the container; the first start is incarnation 1
            "restartCount",
            restarts,
            "state",
            state);
    Map<String, Object> status =
        Map.of(
            "phase",
            "Running",
            "podIP",
            s.host(),
            "podIPs",
            List.of(Map.of("ip", s.host())),
            "containerStatuses",
            List.of(container));
    client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(s.name())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
  }
}
