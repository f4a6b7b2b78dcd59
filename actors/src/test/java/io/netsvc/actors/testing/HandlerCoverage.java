package io.netsvc.actors.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Checks that a behaviour has a handler for every message of its sealed protocol, which Pekko's
 * receive builder does not: each permitted record (see {@link Samples#leafRecords}) is built with
 * placeholder arguments and run, with {@link BehaviorTestKit}, on a fresh instance of the
 * behaviour; a message the behaviour answers with {@code Behaviors.unhandled()} (what a receive
 * builder without a matching case returns) is a missing handler. A handler that throws on its
 * placeholder fails the check too: give a workable message with {@link Samples#with}.
 *
 * <pre>{@code
 * HandlerCoverage.of(PoolActor.Command.class, () -> PoolActor.create("p", sharding)).check();
 * }</pre>
 */
public final class HandlerCoverage<T> {
  private final Class<T> protocol;
  private final Supplier<Behavior<T>> behavior;
  private final List<T> before = new ArrayList<>();
  private Samples samples = new Samples();

  private HandlerCoverage(Class<T> protocol, Supplier<Behavior<T>> behavior) {
    this.protocol = protocol;
    this.behavior = behavior;
  }

  /**
   * @param behavior a fresh behaviour per call: each message runs on its own instance, so one that
   *     stops the actor does not hide the next
   */
  public static <T> HandlerCoverage<T> of(Class<T> protocol, Supplier<Behavior<T>> behavior) {
    return new HandlerCoverage<>(protocol, behavior);
  }

  /** Where placeholders would not do. */
  public HandlerCoverage<T> samples(Samples given) {
    this.samples = given;
    return this;
  }

  /** Messages every fresh instance gets first, e.g. the object the actor is about. */
  @SafeVarargs
  public final HandlerCoverage<T> after(T... messages) {
    before.addAll(List.of(messages));
    return this;
  }

  /** Fails, naming them, when messages are unhandled or their handler throws. */
  public void check() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new AssertionError(
          protocol.getName()
              + " has messages without a working handler:\n  "
              + String.join("\n  ", problems));
    }
  }

  /** What {@link #check} would complain about, one line per message. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : Samples.leafRecords(protocol)) {
      T message = protocol.cast(samples.of(type));
      BehaviorTestKit<T> kit = BehaviorTestKit.create(behavior.get());
      try {
        before.forEach(kit::run);
        kit.run(message);
      } catch (RuntimeException | AssertionError e) {
        problems.add(type.getSimpleName() + ": the handler threw " + e);
        continue;
      }
      if (Behavior.isUnhandled(kit.returnedBehavior())) {
        problems.add(type.getSimpleName() + ": unhandled");
      }
    }
    return problems;
  }
}
