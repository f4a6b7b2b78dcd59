package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer callback that hands domain records to a {@link WatchHandler}. An update whose record
 * did not change (a heartbeat, a resourceVersion bump) is dropped; an object that cannot be read is
 * logged and skipped.
 */
final class RecordHandler<T extends HasMetadata, R> implements ResourceEventHandler<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RecordHandler.class);
  private final Function<T, R> convert;
  private final WatchHandler<R> handler;

  RecordHandler(Function<T, R> convert, WatchHandler<R> handler) {
    this.convert = convert;
    this.handler = handler;
  }

  @Override
  public void onAdd(T obj) {
    deliver(obj, false);
  }

  @Override
  public void onUpdate(T old, T obj) {
    R before = safe(old);
    R after = safe(obj);
    if (after != null && !after.equals(before)) call(after, false, obj);
  }

  @Override
  public void onDelete(T obj, boolean finalStateUnknown) {
    deliver(obj, true);
  }

  private void deliver(T obj, boolean deleted) {
    R r = safe(obj);
    if (r != null) call(r, deleted, obj);
  }

  private R safe(T obj) {
    try {
      return obj == null ? null : convert.apply(obj);
    } catch (RuntimeException e) {
      LOG.warn("cannot read {} {}: {}", obj.getKind(), name(obj), e.toString());
      return null;
    }
  }

  private void call(R r, boolean deleted, T obj) {
    try {
      handler.observed(r, deleted);
    } catch (RuntimeException e) {
      // a failing handler must not stop the informer (nor the other handlers on it)
      LOG.error("handling {} {} failed", obj.getKind(), name(obj), e);
    }
  }

  private static String name(HasMetadata o) {
    return o.getMetadata() == null
        ? "?"
        : o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
