package io.netsvc.actors;

import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The failure policy of every netsvc actor (the table in docs/architecture.md). Pekko's typed
 * default stops an actor whose handler throws; for a singleton or an entity that would stop
 * ServiceLB or NetworkPolicy for good (a singleton is not started again while its member lives, an
 * agent's system actor never). So every actor restarts: its state is rebuilt by its setup from the
 * informers, its entities and its agent. A backoff keeps an actor that fails at every start (the
 * API is down, a bug met in the rebuilt state) from spinning; messages that arrive meanwhile are
 * stashed (up to {@code pekko.actor.typed.restart-stash-capacity}) and handled after the restart.
 */
public final class Supervision {
  /** Cluster singletons: their start writes to the API, which may be down for a while. */
  public static final Duration SINGLETON_MIN = Duration.ofSeconds(1);

  public static final Duration SINGLETON_MAX = Duration.ofSeconds(10);

  /** Sharded entities: short, a restarted entity is needed at once by the next message. */
  public static final Duration ENTITY_MIN = Duration.ofMillis(200);

  public static final Duration ENTITY_MAX = Duration.ofSeconds(5);

  private static final double JITTER = 0.2;

  private Supervision() {}

  /** A cluster singleton: restarts after 1 s, doubling up to 10 s while it keeps failing. */
  public static <T> Behavior<T> singleton(Behavior<T> behavior) {
    return backoff(behavior, SINGLETON_MIN, SINGLETON_MAX);
  }

  /** A sharded entity: restarts after 200 ms, doubling up to 5 s while it keeps failing. */
  public static <T> Behavior<T> entity(Behavior<T> behavior) {
    return backoff(behavior, ENTITY_MIN, ENTITY_MAX);
  }

  /**
   * Restarts {@code behavior} after {@code min}, doubling up to {@code max} (with 20% jitter) while
   * it keeps failing; the delay starts again from {@code min} once it ran for {@code max}.
   */
  public static <T> Behavior<T> backoff(Behavior<T> behavior, Duration min, Duration max) {
    return Behaviors.supervise(behavior)
        .onFailure(
            Exception.class,
            SupervisorStrategy.restartWithBackoff(min, max, JITTER).withResetBackoffAfter(max));
  }
}
