package io.netsvc.chaos;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Polls the API every 100 ms during a fault and records each time a watched Service lost an ingress
 * address although the node behind it still had a Ready svclb pod of that Service: what a client of
 * that load balancer would see as an outage caused by netsvc, not by the node.
 */
final class IngressWatch implements AutoCloseable {
  private final KubernetesClient client;
  private final Set<String> watched;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Set<String>> last = new HashMap<>();
  private final List<String> losses = new CopyOnWriteArrayList<>();
  private final long start = System.nanoTime();
  private volatile int polls;
  private volatile String error;

  /**
   * @param watched "namespace/name" of Services that stay throughout the fault
   */
  IngressWatch(KubernetesClient client, Set<String> watched) {
    this.client = client;
    this.watched = Set.copyOf(watched);
    timer.scheduleWithFixedDelay(this::poll, 0, 100, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      Map<String, NodeInfo> nodes =
          client.nodes().list().getItems().stream()
              .collect(
                  Collectors.toMap(n -> n.getMetadata().getName(), Convert::node, (a, b) -> a));
      List<Pod> pods =
          client
              .pods()
              .inNamespace(Invariants.LB_NAMESPACE)
              .withLabel(SvclbNames.SVCNAME_LABEL)
              .list()
              .getItems()
              .stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
              .toList();
      Map<String, Set<String>> ready = Invariants.readyNodes(pods);
      for (var s : client.services().inAnyNamespace().list().getItems()) {
        ServiceInfo svc = Convert.service(s);
        if (!watched.contains(svc.key())) continue;
        Set<String> now = ips(svc.ingress());
        Set<String> before = last.put(svc.key(), now);
        if (before == null) continue;
        Set<String> stillServed =
            ips(Invariants.expected(svc, ready.getOrDefault(svc.key(), Set.of()), nodes));
        Set<String> lost = new TreeSet<>(before);
        lost.removeAll(now);
        lost.retainAll(stillServed);
        if (!lost.isEmpty()) {
          losses.add(
              String.format(
                  "at +%d ms Service %s ingress %s -> %s although its svclb pods stayed Ready on %s",
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                  svc.key(),
                  before,
                  now,
                  ready.getOrDefault(svc.key(), Set.of())));
        }
      }
      polls++;
    } catch (RuntimeException e) {
      error = e.toString(); // the API is in another process: a failed poll is noted, not fatal
    }
  }

  private static Set<String> ips(List<IngressInfo> ingress) {
    Set<String> out = new TreeSet<>();
    if (ingress != null) for (IngressInfo i : ingress) out.add(i.ip());
    return out;
  }

  /** Every loss seen so far, one sentence each. */
  List<String> losses() {
    return new ArrayList<>(losses);
  }

  int polls() {
    return polls;
  }

  String lastError() {
    return error;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
