package io.netsvc.actors.ccm;

import io.netsvc.k8s.records.NodeInfo;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Starts a watch on Nodes (a fabric8 informer in production). Consumers must not block. */
public interface NodeSource {
  /** Completes, with the handle that stops the watch, once the initial list was delivered. */
  CompletionStage<AutoCloseable> start(Consumer<NodeInfo> changed, Consumer<NodeInfo> gone);
}
