package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.config.Errors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's informer of one kind and the handlers on it, kept running. fabric8 retries what it
 * can by itself (the exception handler {@link Informers} gives every informer); an informer that
 * stops nevertheless (its {@code stopped()} fails, or it cannot start) is replaced after a backoff
 * by a new one with the same handlers. The new one starts from what the old one knew, so its first
 * list reaches the handlers as what changed meanwhile: updates, new objects and deletions.
 *
 * <p>Every fabric8 callback is handled on {@link Informers}' scheduler, never on fabric8's threads
 * while they hold fabric8's locks.
 */
final class KindInformer<T extends HasMetadata> {
  private static final Logger LOG = LoggerFactory.getLogger(KindInformer.class);

  /** How informers are made, restarted and judged healthy; shared by the member's informers. */
  record Settings(
      ScheduledExecutorService scheduler, Duration restartBackoff, Duration watchGrace) {}

  private final WatchKind<T> kind;
  private final Supplier<SharedIndexInformer<T>> make;
  private final Settings settings;
  private final AtomicLong restarts;
  private final List<ResourceEventHandler<T>> handlers = new ArrayList<>();
  private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

  /** The current informer; it stays (stopped) while its replacement waits out the backoff. */
  private SharedIndexInformer<T> informer;

  private boolean synced; // the current informer listed its objects
  private boolean down; // the current informer stopped; a replacement is scheduled
  private int failures; // consecutive informers that stopped before syncing, for the backoff
  private Instant notWatchingSince;
  private boolean closed;

  /**
   * @param make a new, not started informer of the kind (with the member's exception handler)
   * @param restarts counts this kind's restarts (kept by the owner across instances)
   */
  KindInformer(
      WatchKind<T> kind,
      Supplier<SharedIndexInformer<T>> make,
      Settings settings,
      AtomicLong restarts) {
    this.kind = kind;
    this.make = make;
    this.settings = settings;
    this.restarts = restarts;
  }

  WatchKind<T> kind() {
    return kind;
  }

  /**
   * Adds a handler; on a started informer it first receives the current objects as adds. A handler
   * added while the informer is down goes on the failed one all the same (netsvc has not called its
   * {@code stop()} yet, so fabric8 still replays its store), so it knows what the replacement
   * starts from.
   */
  synchronized void add(ResourceEventHandler<T> h) {
    handlers.add(h);
    if (informer != null) informer.addEventHandler(h);
  }

  /** Removes a handler; true when none is left. */
  synchronized boolean remove(ResourceEventHandler<T> h) {
    handlers.remove(h);
    if (informer != null) informer.removeEventHandler(h);
    return handlers.isEmpty();
  }

  /** Starts the first informer, after the first handler was added (so it sees the first list). */
  synchronized void start() {
    startNew(null);
  }

  /** Completes once an informer of this kind has listed its objects for the first time. */
  CompletionStage<Void> firstSync() {
    return firstSync;
  }

  synchronized <R> List<R> cached(Function<T, R> convert) {
    return informer == null ? List.of() : informer.getStore().list().stream().map(convert).toList();
  }

  /**
   * Serving: the current informer has listed its objects and is watching, or stopped watching less
   * than the grace ago (fabric8 re-establishes a watch after a timeout or a 410, so one reading of
   * "not watching" is no failure).
   */
  synchronized boolean ready(Instant now) {
    if (closed || down || !synced || !informer.isRunning()) return false;
    if (watching()) {
      notWatchingSince = null;
      return true;
    }
    if (notWatchingSince == null) notWatchingSince = now;
    return Duration.between(notWatchingSince, now).compareTo(settings.watchGrace()) < 0;
  }

  private boolean watching() {
    try {
      return informer.isWatching();
    } catch (RuntimeException e) { // fabric8 may throw while it swaps its watch
      return false;
    }
  }

  /** How many objects the current informer's cache holds. */
  synchronized int size() {
    return informer == null ? 0 : informer.getStore().list().size();
  }

  /**
   * Stops the informer and lets go of it and of the handlers: whoever still holds this object (a
   * registration not yet closed) holds neither the cache nor the handlers' state through it.
   */
  synchronized void close() {
    closed = true;
    if (informer != null) informer.stop();
    informer = null;
    handlers.clear();
    firstSync.completeExceptionally(new IllegalStateException("the informer was closed"));
  }

  /**
   * Starts a new informer in place of {@code previous} (null at first), seeded with what that one
   * knew and with every handler on it before it starts: fabric8 then reports only what differs.
   * {@code previous} is closed first, so its watch never outlives it; not earlier, so that what it
   * had queued for the handlers reaches them meanwhile.
   */
  private void startNew(SharedIndexInformer<T> previous) {
    List<T> known = previous == null ? List.of() : previous.getStore().list();
    SharedIndexInformer<T> next;
    try {
      next = make.get();
      if (!known.isEmpty()) next.initialState(known.stream());
      handlers.forEach(next::addEventHandler);
    } catch (RuntimeException e) { // no informer could be made: tried again as if one had stopped
      down = true;
      scheduleRestart(e);
      return;
    }
    if (previous != null) previous.stop();
    informer = next;
    down = false;
    synced = false;
    notWatchingSince = null;
    try {
      next.start()
          .whenCompleteAsync(
              (v, e) -> {
                if (e == null) synced(next);
                else failed(next, e);
              },
              settings.scheduler());
      next.stopped()
          .whenCompleteAsync(
              (v, e) -> {
                if (e != null) failed(next, e);
              },
              settings.scheduler());
    } catch (RuntimeException e) {
      failed(next, e);
    }
  }

  private synchronized void synced(SharedIndexInformer<T> which) {
    if (closed || which != informer || down) return;
    synced = true;
    failures = 0;
    firstSync.complete(null);
    LOG.info("the {} informer listed its objects and is watching", kind);
  }

  /** The informer {@code which} stopped with {@code error}: replaced after a backoff. */
  private synchronized void failed(SharedIndexInformer<T> which, Throwable error) {
    if (closed || which != informer || down) return; // an old informer, or one stopped on purpose
    down = true;
    scheduleRestart(error);
  }

  private void scheduleRestart(Throwable error) {
    failures++;
    long factor = 1L << Math.min(failures - 1, 5);
    Duration delay = settings.restartBackoff().multipliedBy(factor);
    LOG.warn(
        "the {} informer stopped ({}); starting a new one in {}",
        kind,
        Errors.rootMessage(error),
        delay);
    settings.scheduler().schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Replaces the stopped informer (still the current one until then). */
  private synchronized void restart() {
    if (closed) return;
    restarts.incrementAndGet();
    startNew(informer);
  }
}
