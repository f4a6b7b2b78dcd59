package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on Services, Nodes, Pods and EndpointSlices (all namespaces) that report domain
 * records. An update whose record did not change (a heartbeat, a resourceVersion bump) is dropped.
 */
public final class Watchers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);
  private final KubernetesClient client;
  private final ClusterEvents sink;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<io.fabric8.kubernetes.api.model.Service> services;
  private SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> nodes;
  private SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> pods;

  public Watchers(KubernetesClient client, ClusterEvents sink) {
    this.client = client;
    this.sink = sink;
  }

  /** Starts all informers; completes when each has listed its objects. */
  public CompletionStage<Void> start() {
    services = client.services().inAnyNamespace().runnableInformer(0);
    services.addEventHandler(handler(Convert::service, sink::serviceChanged, sink::serviceDeleted));
    nodes = client.nodes().runnableInformer(0);
    nodes.addEventHandler(handler(Convert::node, sink::nodeChanged, sink::nodeDeleted));
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    pods.addEventHandler(handler(Convert::pod, sink::podChanged, sink::podDeleted));
    var slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
    slices.addEventHandler(
        handler(Convert::endpointSlice, sink::endpointSliceChanged, sink::endpointSliceDeleted));
    informers.addAll(List.of(services, nodes, pods, slices));
    List<CompletableFuture<?>> started = new ArrayList<>();
    for (SharedIndexInformer<?> i : informers) started.add(i.start().toCompletableFuture());
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
  }

  public List<ServiceInfo> services() {
    return services.getStore().list().stream().map(Convert::service).toList();
  }

  public List<NodeInfo> nodes() {
    return nodes.getStore().list().stream().map(Convert::node).toList();
  }

  public List<PodInfo> pods() {
    return pods.getStore().list().stream().map(Convert::pod).toList();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  static <T extends HasMetadata, R> ResourceEventHandler<T> handler(
      Function<T, R> convert,
      java.util.function.Consumer<R> changed,
      java.util.function.Consumer<R> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        deliver(obj, changed);
      }

      @Override
      public void onUpdate(T old, T obj) {
        R before = safe(old);
        R after = safe(obj);
        if (after != null && !after.equals(before)) call(changed, after, obj);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        deliver(obj, deleted);
      }

      private void deliver(T obj, java.util.function.Consumer<R> to) {
        R r = safe(obj);
        if (r != null) call(to, r, obj);
      }

      private R safe(T obj) {
        try {
          return obj == null ? null : convert.apply(obj);
        } catch (RuntimeException e) {
          LOG.warn("cannot read {} {}: {}", obj.getKind(), name(obj), e.toString());
          return null;
        }
      }

      private void call(java.util.function.Consumer<R> to, R r, T obj) {
        try {
          to.accept(r);
        } catch (RuntimeException e) {
          // a failing sink must not stop the informer
          LOG.error("handling {} {} failed", obj.getKind(), name(obj), e);
        }
      }
    };
  }

  private static String name(HasMetadata o) {
    return o.getMetadata() == null
        ? "?"
        : o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
