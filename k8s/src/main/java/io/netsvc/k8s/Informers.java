package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's informers: at most one per {@link WatchKind}, shared by every feature that watches
 * that kind, so each object is listed, watched and cached once per member. An informer starts with
 * its first handler; a handler registered later first receives the informer's current objects as
 * adds (fabric8 replays its store to a handler added to a running informer), then every change.
 */
public final class Informers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  /** One kind's handler: each object becomes a record through {@code convert}. */
  public record Handler<T extends HasMetadata, R>(
      WatchKind<T> kind, Function<T, R> convert, WatchHandler<R> handler) {}

  private final KubernetesClient client;
  private final Map<WatchKind<?>, Shared<?>> shared = new HashMap<>();
  private boolean closed;

  public Informers(KubernetesClient client) {
    this.client = client;
  }

  /** Registers the handlers, starting the informers of kinds nobody watched yet. */
  public synchronized WatchRegistration register(List<Handler<?, ?>> handlers) {
    if (closed) throw new IllegalStateException("the member's informers are closed");
    List<Runnable> removals = new ArrayList<>();
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (Handler<?, ?> h : handlers) {
      Shared<?> s = attach(h, removals);
      syncs.add(s.started);
    }
    return new Registration(
        removals, CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)));
  }

  private <T extends HasMetadata, R> Shared<T> attach(Handler<T, R> h, List<Runnable> removals) {
    @SuppressWarnings("unchecked") // the map is keyed by kind, so the value's type is the key's
    Shared<T> s = (Shared<T>) shared.get(h.kind());
    RecordHandler<T, R> handler = new RecordHandler<>(h.convert(), h.handler());
    if (s == null) {
      s = new Shared<>(h.kind(), h.kind().informer(client));
      shared.put(h.kind(), s);
      s.informer.addEventHandler(handler);
      s.start(this);
    } else {
      s.informer.addEventHandler(handler);
    }
    s.handlers++;
    Shared<T> on = s;
    removals.add(() -> detach(on, handler));
    return s;
  }

  private synchronized <T extends HasMetadata> void detach(Shared<T> s, RecordHandler<T, ?> h) {
    s.informer.removeEventHandler(h);
    // an informer nobody listens to is stopped: a singleton that moved away leaves no watch or
    // cache
    if (--s.handlers == 0) discard(s);
  }

  /**
   * A failed informer cannot be started again: drop it, so the next registration makes a new one.
   */
  private synchronized void failed(Shared<?> s, Throwable error) {
    LOG.warn("the {} informer failed to start: {}", s.kind, error.toString());
    discard(s);
  }

  private void discard(Shared<?> s) {
    if (shared.get(s.kind) == s) shared.remove(s.kind);
    s.informer.stop();
  }

  /** The cached objects of {@code kind} as records; empty while nobody watches that kind. */
  public synchronized <T extends HasMetadata, R> List<R> cached(
      WatchKind<T> kind, Function<T, R> convert) {
    @SuppressWarnings("unchecked") // see attach
    Shared<T> s = (Shared<T>) shared.get(kind);
    return s == null ? List.of() : s.informer.getStore().list().stream().map(convert).toList();
  }

  /** The kinds with a running informer. */
  public synchronized Set<WatchKind<?>> watching() {
    return Set.copyOf(shared.keySet());
  }

  @Override
  public synchronized void close() {
    closed = true;
    shared.values().forEach(s -> s.informer.stop());
    shared.clear();
  }

  private static final class Shared<T extends HasMetadata> {
    final WatchKind<T> kind;
    final SharedIndexInformer<T> informer;
    CompletableFuture<Void> started;
    int handlers;

    Shared(WatchKind<T> kind, SharedIndexInformer<T> informer) {
      this.kind = kind;
      this.informer = informer;
    }

    /** Started after its first handler was added, so that handler sees the initial list. */
    void start(Informers owner) {
      started = informer.start().toCompletableFuture();
      started.whenComplete(
          (v, e) -> {
            if (e != null) owner.failed(this, e);
          });
    }
  }

  private static final class Registration implements WatchRegistration {
    private final List<Runnable> removals;
    private final CompletableFuture<Void> synced;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Registration(List<Runnable> removals, CompletableFuture<Void> synced) {
      this.removals = removals;
      this.synced = synced;
    }

    @Override
    public CompletionStage<Void> synced() {
      return synced.minimalCompletionStage();
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) removals.forEach(Runnable::run);
    }
  }
}
