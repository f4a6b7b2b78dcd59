package io.netsvc.k8s;

/**
 * What a watch reports about one kind of object, as a domain record. Called on an informer thread:
 * must not block.
 */
@FunctionalInterface
public interface WatchHandler<R> {
  /**
   * @param record the object as it is now, or its last known state when {@code deleted}
   * @param deleted true when the object is gone
   */
  void observed(R record, boolean deleted);
}
