package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.pekko.actor.AllDeadLetters;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code netsvc_messages_dropped_total}: messages this member dropped instead of delivering, above
 * all those Artery drops when its send queue to another member is full (a burst of policy fragments
 * to a node's agent). Pekko reports them only as dead letters, whose logging netsvc turns off (they
 * are mostly harmless: messages to entities that just stopped); these are not harmless, since the
 * resync then has to repair what they carried, so they are counted and summed up in one WARN line a
 * minute.
 */
final class DroppedMessages {
  static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

  private DroppedMessages() {}

  private record Tick() {}

  static void start(ActorSystem<?> system, MeterRegistry registry) {
    Counter counter =
        Counter.builder("netsvc.messages.dropped")
            .description(
                "messages this member dropped instead of delivering (e.g. a full send queue to"
                    + " another member); the resync repairs what they carried")
            .register(registry);
    system.systemActorOf(listen(counter), "dropped-messages", Props.empty());
  }

  private static Behavior<Object> listen(Counter counter) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem()
              .eventStream()
              .tell(new EventStream.Subscribe<>(AllDeadLetters.class, ctx.getSelf().narrow()));
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(new Tick(), SUMMARY_EVERY);
                long[] since = {0};
                String[] example = {null};
                return Behaviors.receive(Object.class)
                    .onMessage(
                        AllDeadLetters.class,
                        d -> {
                          Dropped dropped = dropped(d);
                          if (dropped != null) {
                            counter.increment();
                            if (since[0]++ == 0) example[0] = describe(dropped);
                          }
                          return Behaviors.same();
                        })
                    .onMessage(
                        Tick.class,
                        t -> {
                          if (since[0] > 0) {
                            ctx.getLog()
                                .warn(
                                    "{} messages were dropped in the last minute, e.g. {}; the"
                                        + " resync repairs what they carried"
                                        + " (netsvc_messages_dropped_total)",
                                    since[0],
                                    example[0]);
                          }
                          since[0] = 0;
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }

  private static Dropped dropped(AllDeadLetters d) {
    if (d instanceof Dropped dropped) return dropped;
    if (d instanceof DeadLetter letter && letter.message() instanceof Dropped dropped) {
      return dropped;
    }
    return null;
  }

  private static String describe(Dropped d) {
    // Pekko leaves the recipient out of some drops (e.g. a message to an actor that never existed)
    String to = d.recipient() == null ? "an unknown recipient" : d.recipient().path().toString();
    return (d.message() == null ? "a message" : d.message().getClass().getName())
        + " to "
        + to
        + " ("
        + d.reason()
        + ")";
  }
}
