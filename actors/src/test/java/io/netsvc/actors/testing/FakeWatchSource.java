package io.netsvc.actors.testing;

import static org.awaitility.Awaitility.await;

import io.netsvc.k8s.WatchRegistration;
import io.netsvc.k8s.WatchSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The member's informers as a watch singleton sees them, played by the test: it keeps the handler
 * each registration brought, the test calls that handler as an informer would, and decides when the
 * watch has synced ({@link #sync}, or at once with {@link #syncedAtOnce}).
 *
 * @param <H> the feature's handler type, e.g. {@code ServiceLbWatchHandler}
 */
public final class FakeWatchSource<H> implements WatchSource<H> {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** One registration: its handler, its sync, whether it was closed. */
  public final class Registration implements WatchRegistration {
    private final H handler;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile boolean closed;

    private Registration(H handler) {
      this.handler = handler;
    }

    @Override
    public CompletionStage<Void> synced() {
      return synced;
    }

    @Override
    public void close() {
      closed = true;
    }

    public boolean closed() {
      return closed;
    }
  }

  private final boolean syncAtOnce;
  private final List<Registration> registrations = new CopyOnWriteArrayList<>();

  private FakeWatchSource(boolean syncAtOnce) {
    this.syncAtOnce = syncAtOnce;
  }

  /** A watch that syncs when the test says so. */
  public static <H> FakeWatchSource<H> syncedLater() {
    return new FakeWatchSource<>(false);
  }

  /** A watch that has listed everything the moment it is registered. */
  public static <H> FakeWatchSource<H> syncedAtOnce() {
    return new FakeWatchSource<>(true);
  }

  @Override
  public WatchRegistration register(H handler) {
    Registration r = new Registration(handler);
    if (syncAtOnce) r.synced.complete(null);
    registrations.add(r);
    return r;
  }

  /** The latest registration, once the singleton under test has made one. */
  public Registration registration() {
    await().atMost(WAIT).until(() -> !registrations.isEmpty());
    return registrations.get(registrations.size() - 1);
  }

  /** The handler of the latest registration: what an informer would call. */
  public H handler() {
    return registration().handler;
  }

  /** The initial lists are in. */
  public void sync() {
    registration().synced.complete(null);
  }
}
