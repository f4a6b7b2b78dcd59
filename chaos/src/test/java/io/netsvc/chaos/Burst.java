package io.netsvc.chaos;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Service churn while a fault happens: every 200 ms it creates a LoadBalancer Service on a port of
 * its own, and deletes the one created three steps earlier, so creates and deletes are in flight
 * when a member dies. The last three stay (the invariants then cover them).
 */
public final class Burst implements AutoCloseable {
  private final KubernetesClient client;
  private final String prefix;
  private final int firstPort;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Deque<String> live = new ArrayDeque<>();
  private final AtomicInteger created = new AtomicInteger();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  Burst(KubernetesClient client, String prefix, int firstPort) {
    this.client = client;
    this.prefix = prefix;
    this.firstPort = firstPort;
    timer.scheduleWithFixedDelay(this::step, 0, 200, TimeUnit.MILLISECONDS);
  }

  private void step() {
    int i = created.get();
    String name = prefix + "-" + i;
    try {
      try {
        client.services().resource(lb("default", name, firstPort + i)).create();
      } catch (KubernetesClientException e) {
        // the create of a step whose answer was lost (the API went away) took effect
        if (e.getCode() != 409) throw e;
      }
      created.incrementAndGet();
      live.addLast(name);
      if (live.size() > 3) {
        client.services().inNamespace("default").withName(live.removeFirst()).delete();
      }
    } catch (RuntimeException e) {
      errors.add(name + ": " + e.getMessage());
    }
  }

  int created() {
    return created.get();
  }

  List<String> errors() {
    return errors;
  }

  /** A LoadBalancer Service with one TCP port (its svclb pods hold that host port). */
  public static Service lb(String ns, String name, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .addToSelector("app", name)
        .addToPorts(
            new ServicePortBuilder().withName("p").withPort(port).withProtocol("TCP").build())
        .endSpec()
        .build();
  }

  /** Stops the churn; the Services it left stay. */
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
