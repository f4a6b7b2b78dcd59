package io.netsvc.cluster.http;

import io.netsvc.actors.Known;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.cluster.ManagementDeps;
import io.netsvc.cluster.NetsvcHandles;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Asks the singleton that watches a kind whether a name exists before a route asks its entity:
 * asking an entity through sharding starts it, so a GET of any made-up name would otherwise create
 * one (and keep it: node and NetworkPolicy entities are never passivated).
 */
final class KnownNames {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ActorSystem<?> system;

  /** The failure of an answer about a name nobody knows; the route answers 404 with it. */
  static final class Unknown extends RuntimeException {
    Unknown(String message) {
      super(message, null, false, false);
    }
  }

  KnownNames(ActorSystem<?> system) {
    this.system = system;
  }

  /** {@code then} if the Node exists, else fails with {@link Unknown}. */
  <T> CompletionStage<T> node(String name, Supplier<CompletionStage<T>> then) {
    ActorRef<NodeController.Command> nodes =
        NetsvcHandles.get(system).deps().map(ManagementDeps::nodes).orElse(null);
    return ifKnown(nodes, r -> new NodeController.IsKnown(name, r), "node " + name, then);
  }

  /** {@code then} if the NetworkPolicy ns/name exists, else fails with {@link Unknown}. */
  <T> CompletionStage<T> policy(String key, Supplier<CompletionStage<T>> then) {
    ActorRef<NetpolController.Command> netpol =
        NetsvcHandles.get(system).deps().map(ManagementDeps::netpol).orElse(null);
    return ifKnown(netpol, r -> new NetpolController.IsKnown(key, r), "NetworkPolicy " + key, then);
  }

  private <C, T> CompletionStage<T> ifKnown(
      ActorRef<C> singleton,
      Function<ActorRef<Known>, C> question,
      String what,
      Supplier<CompletionStage<T>> then) {
    if (singleton == null) {
      return CompletableFuture.failedFuture(new Unknown("unknown " + what));
    }
    return AskPattern.ask(singleton, question::apply, TIMEOUT, system.scheduler())
        .thenCompose(
            k ->
                k.known()
                    ? then.get()
                    : CompletableFuture.failedFuture(new Unknown("unknown " + what)));
  }

  /** The {@link Unknown} a failed answer carries, or null. */
  static Unknown unknown(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t instanceof Unknown u ? u : null;
  }
}
