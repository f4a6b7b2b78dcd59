package io.netsvc.actors.servicelb;

import io.netsvc.k8s.ClusterEvents;
import java.util.concurrent.CompletionStage;

/** Starts the Kubernetes watches that feed the controller (fabric8 informers in production). */
public interface WatchSource {
  /** Start delivering to {@code sink}; completes once the initial lists have been delivered. */
  CompletionStage<AutoCloseable> start(ClusterEvents sink);
}
