package io.netsvc.k8s;

import java.util.concurrent.CompletionStage;

/**
 * A feature's handlers on the member's shared informers. It exists from the moment of registering,
 * so a caller whose watch failed to sync can close it before trying again.
 */
public interface WatchRegistration extends AutoCloseable {
  /**
   * Completes once every informer the handlers are on has listed its objects; fails when one could
   * not start (close the registration, then register again).
   */
  CompletionStage<Void> synced();

  /** Removes the handlers: nothing more is delivered to them. Idempotent. */
  @Override
  void close();
}
