package io.netsvc.chaos;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
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
 * NetworkPolicy churn while a fault happens, in a namespace of its own with pods labelled app=a|b|c
 * spread over the nodes: every 300 ms it creates a policy selecting one label, moves the oldest
 * live one to the next label (its target nodes change) and deletes the one created four steps
 * earlier. The last four stay, so the invariants cover created, changed and deleted policies.
 */
final class PolicyBurst implements AutoCloseable {
  static final List<String> LABELS = List.of("a", "b", "c");
  private final KubernetesClient client;
  private final String ns;
  private final String prefix;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Deque<String> live = new ArrayDeque<>();
  private final AtomicInteger steps = new AtomicInteger();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private PolicyBurst(KubernetesClient client, String ns, String prefix) {
    this.client = client;
    this.ns = ns;
    this.prefix = prefix;
    timer.scheduleWithFixedDelay(this::step, 0, 300, TimeUnit.MILLISECONDS);
  }

  /**
   * Creates namespace {@code ns} with {@code pods} pods (app=a, b, c, a, …) unless it is there,
   * then churns policies named {@code prefix-N}.
   */
  static PolicyBurst start(KubernetesClient client, String ns, int pods, String prefix) {
    if (client.namespaces().withName(ns).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      for (int i = 0; i < pods; i++) client.pods().resource(pod(ns, i)).create();
    }
    return new PolicyBurst(client, ns, prefix);
  }

  private static Pod pod(String ns, int i) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName("p" + i)
        .addToLabels("app", LABELS.get(i % LABELS.size()))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  private void step() {
    int i = steps.get();
    String name = prefix + "-" + i;
    try {
      create(name, LABELS.get(i % LABELS.size()));
      steps.incrementAndGet();
      live.addLast(name);
      String oldest = live.peekFirst();
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(ns)
          .withName(oldest)
          .edit(
              np -> {
                String now = np.getSpec().getPodSelector().getMatchLabels().get("app");
                String next = LABELS.get((LABELS.indexOf(now) + 1) % LABELS.size());
                np.getSpec().getPodSelector().getMatchLabels().put("app", next);
                return np;
              });
      if (live.size() > 4) {
        client
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(ns)
            .withName(live.removeFirst())
            .delete();
      }
    } catch (RuntimeException e) {
      errors.add(name + ": " + e.getMessage());
    }
  }

  private void create(String name, String app) {
    try {
      client.network().v1().networkPolicies().resource(policy(ns, name, app)).create();
    } catch (KubernetesClientException e) {
      // the create of a step whose answer was lost (the API went away) took effect
      if (e.getCode() != 409) throw e;
    }
  }

  /** Pods app={@code app} accept ingress only from pods app=a of the namespace. */
  static NetworkPolicy policy(String ns, String name, String app) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels("app", app)
        .endPodSelector()
        .addNewIngress()
        .addNewFrom()
        .withNewPodSelector()
        .addToMatchLabels("app", "a")
        .endPodSelector()
        .endFrom()
        .endIngress()
        .withPolicyTypes("Ingress")
        .endSpec()
        .build();
  }

  /** Completed steps (each a create, a change and, after the fourth, a delete). */
  int steps() {
    return steps.get();
  }

  List<String> errors() {
    return errors;
  }

  /** Stops the churn; the policies it left stay. */
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
