package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.servicelb.WatchSource;
import io.netsvc.k8s.ClusterEvents;
import io.netsvc.k8s.Watchers;
import java.util.concurrent.CompletionStage;

/** The production {@link WatchSource}: fabric8 informers through {@link Watchers}. */
public final class FabricWatchSource implements WatchSource {
  private final KubernetesClient client;

  public FabricWatchSource(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public CompletionStage<AutoCloseable> start(ClusterEvents sink) {
    Watchers watchers = new Watchers(client, sink);
    return watchers.start().thenApply(v -> (AutoCloseable) watchers);
  }
}
