package io.netsvc.actors.netpol;

import io.netsvc.k8s.NetpolEvents;
import java.util.concurrent.CompletionStage;

/** Starts the watches that feed the NetworkPolicy controller (fabric8 informers in production). */
public interface NetpolSource {
  /** Completes, with the handle that stops the watches, once the initial lists were delivered. */
  CompletionStage<AutoCloseable> start(NetpolEvents sink);
}
