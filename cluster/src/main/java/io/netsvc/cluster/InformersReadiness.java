package io.netsvc.cluster;

import io.netsvc.k8s.Informers;
import io.netsvc.k8s.WatchKind;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's readiness ({@code /ready}, a Pekko Management readiness check named {@code
 * netsvc-informers} in application.conf): false while netsvc is starting, and while one of the
 * member's informers does not serve: it has not listed its objects since it (re)started (the API
 * was down at start, or the informer stopped and was replaced) or it has been without a watch for a
 * while (the API is down). True again once they all list and watch. Liveness ({@code /alive}) does
 * not look at the API: a member whose API is away is not broken, and restarting it would not help.
 */
public final class InformersReadiness implements Supplier<CompletionStage<Boolean>> {
  private static final Logger LOG = LoggerFactory.getLogger(InformersReadiness.class);

  /** The kinds not served; empty Optional while the member is not wired yet. */
  private final Supplier<Optional<Set<WatchKind<?>>>> notReady;

  private volatile Set<WatchKind<?>> last = Set.of();

  /** As Pekko Management makes it, by reflection: the member's informers, once it is wired. */
  public InformersReadiness(ActorSystem system) {
    NetsvcHandles handles = NetsvcHandles.get(Adapter.toTyped(system));
    this.notReady =
        () ->
            handles
                .deps()
                .map(
                    d -> d.informers() == null ? Set.<WatchKind<?>>of() : d.informers().notReady());
  }

  /** Over the given informers. */
  public InformersReadiness(Informers informers) {
    this.notReady = () -> Optional.of(informers.notReady());
  }

  @Override
  public CompletionStage<Boolean> get() {
    Optional<Set<WatchKind<?>>> kinds = notReady.get();
    kinds.ifPresent(this::logChange);
    return CompletableFuture.completedFuture(kinds.map(Set::isEmpty).orElse(false));
  }

  /** Logs when the set of kinds not served changes, not at every check. */
  private void logChange(Set<WatchKind<?>> now) {
    Set<WatchKind<?>> before = last;
    if (now.equals(before)) return;
    last = now;
    if (now.isEmpty()) LOG.info("ready: every informer lists and watches again");
    else LOG.warn("not ready: the informers of {} have not listed or lost their watch", now);
  }
}
