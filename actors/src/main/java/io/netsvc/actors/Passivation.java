package io.netsvc.actors;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;

/**
 * Idle passivation decided by the entity itself (docs/architecture.md, Failure policy). Pekko's
 * automatic strategy stops an entity after a time without messages through sharding, whatever it is
 * doing: an API write in flight, a retry or a held-back status due on a timer would be lost with
 * it. So the automatic strategy stays off, and an entity that may passivate checks every {@code
 * after} whether anything it knows changed since the last check and whether it has work pending;
 * when neither, it asks its shard to stop it ({@link ClusterSharding.Passivate}). Messages that
 * arrive meanwhile are buffered by the shard and start a new incarnation, which rebuilds its state
 * from the member's caches.
 *
 * @param <T> the entity's message type
 */
public final class Passivation<T> {
  private static final String TIMER = "idle-check";

  /** Where an entity asks to be stopped, and after how long idle; {@link #NEVER} for never. */
  public record Idle(ActorRef<ClusterSharding.ShardCommand> shard, Duration after) {
    public static final Idle NEVER = new Idle(null, null);

    /** {@code after} null or zero: never. */
    public static Idle of(EntityContext<?> entity, Duration after) {
      if (after == null || after.isZero() || after.isNegative()) return NEVER;
      return new Idle(entity.getShard(), after);
    }

    public boolean enabled() {
      return shard != null;
    }
  }

  private final Idle idle;
  private final ActorRef<T> self;
  private final TimerScheduler<T> timers;
  private boolean active;
  private boolean asked;

  /**
   * Starts checking every {@code idle.after()} with {@code check}, a message the entity answers by
   * calling {@link #check}.
   */
  public Passivation(Idle idle, ActorContext<T> ctx, TimerScheduler<T> timers, T check) {
    this.idle = idle;
    this.self = ctx.getSelf();
    this.timers = timers;
    if (idle.enabled()) timers.startTimerWithFixedDelay(TIMER, check, idle.after());
  }

  /** Something the entity knows changed, or someone asked it: not idle this period. */
  public void active() {
    active = true;
  }

  /**
   * The periodic check: asks the shard to stop the entity when nothing changed since the last check
   * and {@code busy} is false.
   *
   * @return whether it asked
   */
  public boolean check(boolean busy) {
    if (!idle.enabled() || asked) return false;
    if (active || busy) {
      active = false;
      return false;
    }
    asked = true;
    timers.cancel(TIMER);
    idle.shard().tell(new ClusterSharding.Passivate<>(self));
    return true;
  }
}
