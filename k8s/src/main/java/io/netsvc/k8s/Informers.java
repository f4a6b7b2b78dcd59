package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The member's informers: at most one per {@link WatchKind}, shared by every feature that watches
 * that kind, so each object is listed, watched and cached once per member. An informer starts with
 * its first handler; a handler registered later first receives the informer's current objects as
 * adds (fabric8 replays its store to a handler added to a running informer), then every change.
 *
 * <p>The API may be down when netsvc starts, go away for a while, or answer a watch with an error.
 * Every informer retries all of these with fabric8's backoff (list again, watch again) instead of
 * stopping, which fabric8 does by default for an error before the first list or an unreadable watch
 * event. One that stops nevertheless is replaced (see {@link KindInformer}); {@link
 * #restarts(WatchKind)} counts that, and {@link #notReady()} tells which kinds are not served.
 */
public final class Informers implements AutoCloseable {
  /** Production: every error is retried by fabric8, with its backoff, as often as it takes. */
  static final ExceptionHandler RETRY_EVERY_ERROR = (started, error) -> true;

  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);

  /** fabric8 reconnects a timed out watch within about a second; longer is an outage. */
  private static final Duration WATCH_GRACE = Duration.ofSeconds(10);

  /** One kind's handler: each object becomes a record through {@code convert}. */
  public record Handler<T extends HasMetadata, R>(
      WatchKind<T> kind, Function<T, R> convert, WatchHandler<R> handler) {}

  private final KubernetesClient client;
  private final ExceptionHandler onError;
  private final KindInformer.Settings settings;
  private final Map<WatchKind<?>, KindInformer<?>> shared = new HashMap<>();
  private final Map<WatchKind<?>, AtomicLong> restarts = new ConcurrentHashMap<>();
  private boolean closed;

  public Informers(KubernetesClient client) {
    this(client, RETRY_EVERY_ERROR, RESTART_BACKOFF, WATCH_GRACE);
  }

  /**
   * @param onError decides whether fabric8 retries an error itself (tests use fabric8's default to
   *     see an informer stop and be replaced)
   * @param restartBackoff the wait before a stopped informer's replacement, doubled for each one in
   *     a row that stops before listing (up to 32 times)
   * @param watchGrace how long an informer may be without a watch and still count as ready
   */
  Informers(
      KubernetesClient client,
      ExceptionHandler onError,
      Duration restartBackoff,
      Duration watchGrace) {
    this.client = client;
    this.onError = onError;
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "netsvc-informers");
              t.setDaemon(true);
              return t;
            });
    this.settings = new KindInformer.Settings(scheduler, restartBackoff, watchGrace);
  }

  /** Registers the handlers, starting the informers of kinds nobody watched yet. */
  public synchronized WatchRegistration register(List<Handler<?, ?>> handlers) {
    if (closed) throw new IllegalStateException("the member's informers are closed");
    List<Runnable> removals = new ArrayList<>();
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (Handler<?, ?> h : handlers) {
      KindInformer<?> k = attach(h, removals);
      syncs.add(k.firstSync().toCompletableFuture());
    }
    return new Registration(
        removals, CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)));
  }

  private <T extends HasMetadata, R> KindInformer<T> attach(
      Handler<T, R> h, List<Runnable> removals) {
    @SuppressWarnings("unchecked") // the map is keyed by kind, so the value's type is the key's
    KindInformer<T> k = (KindInformer<T>) shared.get(h.kind());
    RecordHandler<T, R> handler = new RecordHandler<>(h.convert(), h.handler());
    if (k == null) {
      WatchKind<T> kind = h.kind();
      k =
          new KindInformer<>(
              kind,
              () -> kind.informer(client).exceptionHandler(onError),
              settings,
              restarts.computeIfAbsent(kind, x -> new AtomicLong()));
      shared.put(kind, k);
      k.add(handler);
      k.start();
    } else {
      k.add(handler);
    }
    KindInformer<T> on = k;
    removals.add(() -> detach(on, handler));
    return k;
  }

  private synchronized <T extends HasMetadata> void detach(
      KindInformer<T> k, RecordHandler<T, ?> h) {
    // an informer nobody listens to is stopped: a singleton that moved away leaves no watch or
    // cache
    if (k.remove(h)) {
      if (shared.get(k.kind()) == k) shared.remove(k.kind());
      k.close();
    }
  }

  /** The cached objects of {@code kind} as records; empty while nobody watches that kind. */
  public synchronized <T extends HasMetadata, R> List<R> cached(
      WatchKind<T> kind, Function<T, R> convert) {
    @SuppressWarnings("unchecked") // see attach
    KindInformer<T> k = (KindInformer<T>) shared.get(kind);
    return k == null ? List.of() : k.cached(convert);
  }

  /**
   * Stops the informer of {@code kind} and forgets it, its cache with it, without telling its
   * handlers anything: they keep what they made of its objects, and hear of no change from here on.
   * For the memory benchmark, which weighs a kind's cache by the heap that goes away with it; a
   * member that drops a kind no longer watches it. Returns how many objects the cache held (0 when
   * nobody watched the kind).
   */
  public synchronized int drop(WatchKind<?> kind) {
    KindInformer<?> k = shared.remove(kind);
    if (k == null) return 0;
    int n = k.size();
    k.close();
    return n;
  }

  /** The kinds with an informer (some feature watches them). */
  public synchronized Set<WatchKind<?>> watching() {
    return Set.copyOf(shared.keySet());
  }

  /**
   * The watched kinds whose informer does not serve: it has not listed its objects since it
   * (re)started, or has been without a watch for longer than the grace. Empty when all are well.
   */
  public synchronized Set<WatchKind<?>> notReady() {
    Instant now = Instant.now();
    Set<WatchKind<?>> out = new HashSet<>();
    shared.forEach(
        (kind, k) -> {
          if (!k.ready(now)) out.add(kind);
        });
    return out;
  }

  /** How many times an informer of {@code kind} stopped and was replaced. */
  public long restarts(WatchKind<?> kind) {
    AtomicLong n = restarts.get(kind);
    return n == null ? 0 : n.get();
  }

  @Override
  public synchronized void close() {
    closed = true;
    shared.values().forEach(KindInformer::close);
    shared.clear();
    settings.scheduler().shutdownNow();
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
