package io.netsvc.k8s;

/**
 * Registers a feature's watch handler (on the member's shared informers in production). {@code H}
 * is the feature's handler type, e.g. {@link ServiceLbWatchHandler}.
 */
@FunctionalInterface
public interface WatchSource<H> {
  /** Handlers receive every current object as changed, then every change, until closed. */
  WatchRegistration register(H handler);
}
