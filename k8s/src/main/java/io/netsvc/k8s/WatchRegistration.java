package io.netsvc.k8s;

import java.util.concurrent.CompletionStage;

/**
 * A feature's handlers on the member's shared informers. It exists from the moment of registering,
 * so a caller whose watch failed to sync can close it before trying again.
 */
public interface WatchRegistration extends AutoCloseable {
  /**
   * Completes once every informer the handlers are on has listed its objects, however long the API
   * takes to answer (the informers keep retrying); fails only when the informers were closed first.
   */
  CompletionStage<Void> synced();

  /** Removes the handlers: nothing more is delivered to them. Idempotent. */
  @Override
  void close();
}
