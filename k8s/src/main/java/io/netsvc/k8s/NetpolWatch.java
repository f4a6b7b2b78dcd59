package io.netsvc.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.k8s.convert.NetpolConvert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Informers on Namespaces, Pods and NetworkPolicies for the NetworkPolicy controller. Updates that
 * change nothing the controller reads (most pod status churn) are dropped before they reach it.
 */
public final class NetpolWatch implements AutoCloseable {
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  public NetpolWatch(KubernetesClient client, NetpolEvents sink) {
    var namespaces = client.namespaces().runnableInformer(0);
    namespaces.addEventHandler(
        Watchers.handler(NetpolConvert::namespace, sink::namespaceChanged, sink::namespaceDeleted));
    var pods = client.pods().inAnyNamespace().runnableInformer(0);
    pods.addEventHandler(Watchers.handler(NetpolConvert::pod, sink::podChanged, sink::podDeleted));
    var policies = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
    policies.addEventHandler(
        Watchers.handler(NetpolConvert::policy, sink::policyChanged, sink::policyDeleted));
    informers.addAll(List.of(namespaces, pods, policies));
  }

  /** Starts the informers; completes once each has delivered its initial list. */
  public CompletionStage<Void> start() {
    List<CompletableFuture<?>> started = new ArrayList<>();
    for (SharedIndexInformer<?> i : informers) started.add(i.start().toCompletableFuture());
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
