package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.NodeInfo;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A watch on Nodes alone, for the cloud-controller stub and the NodeHosts keeper (which run whether
 * ServiceLB is enabled or not). Updates that change nothing netsvc reads are dropped.
 */
public final class NodeWatch implements AutoCloseable {
  private final SharedIndexInformer<Node> informer;

  public NodeWatch(KubernetesClient client, Consumer<NodeInfo> changed, Consumer<NodeInfo> gone) {
    informer = client.nodes().runnableInformer(0);
    informer.addEventHandler(Watchers.handler(Convert::node, changed, gone));
  }

  /** Completes once the initial list has been delivered. */
  public CompletionStage<Void> start() {
    return informer.start();
  }

  @Override
  public void close() {
    informer.close();
  }
}
