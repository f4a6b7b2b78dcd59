package io.netsvc.actors.watch;

import io.netsvc.actors.Supervision;
import io.netsvc.config.Errors;
import io.netsvc.k8s.WatchRegistration;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps a watch singleton's registration on the member's informers, as the singleton's child: it
 * registers, and when the watch does not sync it closes that registration and registers again after
 * {@code backoff}, until it syncs; then it logs, and tells the owner if asked to. Stopping it (with
 * its owner, when the singleton stops or moves away) closes the registration, so the owner receives
 * nothing more.
 */
public final class WatchKeeper extends AbstractBehavior<WatchKeeper.Command> {

  /** Messages of the keeper; local only. */
  public sealed interface Command permits Synced, Retry {}

  record Synced(long attempt, String error) implements Command {}

  record Retry() implements Command {}

  /**
   * @param what the watch's name for the log
   * @param register registers the owner's handlers (they tell the owner directly)
   */
  public static Behavior<Command> create(
      String what, Supplier<WatchRegistration> register, Duration backoff) {
    return create(new Watch(what, register, () -> {}, backoff));
  }

  /** As {@link #create(String, Supplier, Duration)}, and tells {@code owner} once it synced. */
  public static <M> Behavior<Command> create(
      String what,
      Supplier<WatchRegistration> register,
      ActorRef<M> owner,
      M synced,
      Duration backoff) {
    return create(new Watch(what, register, () -> owner.tell(synced), backoff));
  }

  private record Watch(
      String what, Supplier<WatchRegistration> register, Runnable onSynced, Duration backoff) {}

  // A keeper that throws (a bug: registration errors are caught) restarts with a backoff and
  // registers again, so its singleton never runs without its watch.
  private static Behavior<Command> create(Watch watch) {
    return Supervision.backoff(
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WatchKeeper(ctx, timers, watch))),
        watch.backoff(),
        Supervision.SINGLETON_MAX);
  }

  private final TimerScheduler<Command> timers;
  private final Watch watch;
  private WatchRegistration registration;
  private long attempt;

  private WatchKeeper(ActorContext<Command> ctx, TimerScheduler<Command> timers, Watch watch) {
    super(ctx);
    this.timers = timers;
    this.watch = watch;
    register();
  }

  private Behavior<Command> register() {
    long current = ++attempt;
    try {
      registration = watch.register().get();
      getContext()
          .pipeToSelf(
              registration.synced(),
              (v, e) -> new Synced(current, e == null ? null : Errors.rootMessage(e)));
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new Synced(current, Errors.rootMessage(e)));
    }
    return this;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Synced.class, this::onSynced)
        .onMessage(Retry.class, m -> register())
        .onSignal(PostStop.class, s -> close())
        .onSignal(PreRestart.class, s -> close())
        .build();
  }

  private Behavior<Command> onSynced(Synced m) {
    if (m.attempt() != attempt) return this;
    if (m.error() == null) {
      getContext().getLog().info("{}: watch started", watch.what());
      watch.onSynced().run();
      return this;
    }
    getContext()
        .getLog()
        .warn(
            "{}: watch failed to start, retrying in {}: {}",
            watch.what(),
            watch.backoff(),
            m.error());
    close();
    timers.startSingleTimer(new Retry(), watch.backoff());
    return this;
  }

  private Behavior<Command> close() {
    if (registration != null) registration.close();
    registration = null;
    return this;
  }
}
