package io.netsvc.actors.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.Fence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A singleton behind its fence: nothing runs and nothing is handled until the fence is held; it
 * starts when held, stops when lost, and starts afresh when held again; leaving the fence when the
 * gate stops.
 */
class FencedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  static final ActorTestKit kit = ActorTestKit.create("FencedTest");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A fence the test holds or loses. */
  static final class TestFence implements Fence {
    final List<Listener> listeners = new CopyOnWriteArrayList<>();
    volatile boolean left;

    @Override
    public Membership join(Listener listener) {
      listeners.add(listener);
      listener.lost("other-cluster");
      return () -> left = true;
    }

    @Override
    public String describe() {
      return "Lease test/fence";
    }

    void hold() {
      listeners.forEach(Listener::held);
    }

    void lose() {
      listeners.forEach(l -> l.lost("other-cluster"));
    }
  }

  record Msg(String text) {}

  /** Reports each start and stop, and echoes every message it handles. */
  private static Behavior<Msg> singleton(TestProbe<String> events) {
    return Behaviors.setup(
        ctx -> {
          events.ref().tell("started");
          return Behaviors.receive(Msg.class)
              .onMessage(
                  Msg.class,
                  m -> {
                    if (m.text().equals("stop")) return Behaviors.stopped();
                    events.ref().tell("got " + m.text());
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  s -> {
                    events.ref().tell("stopped");
                    return Behaviors.same();
                  })
              .build();
        });
  }

  @Test
  void runsOnlyWhileTheFenceIsHeld() {
    TestFence fence = new TestFence();
    TestProbe<String> events = kit.createTestProbe();
    ActorRef<Msg> gate =
        LoggingTestKit.info("test: standing by, Lease test/fence is held by other-cluster")
            .expect(
                kit.system(),
                () ->
                    kit.spawn(
                        Fenced.create("test", fence, () -> singleton(events), new Msg("stop"))));
    gate.tell(new Msg("early"));
    events.expectNoMessage(Duration.ofMillis(300));

    fence.hold();
    assertThat(events.receiveMessage(WAIT)).isEqualTo("started");
    gate.tell(new Msg("a"));
    assertThat(events.receiveMessage(WAIT)).isEqualTo("got a");

    fence.lose();
    assertThat(events.receiveMessage(WAIT)).isEqualTo("stopped");
    gate.tell(new Msg("b"));
    events.expectNoMessage(Duration.ofMillis(300));

    fence.hold();
    assertThat(events.receiveMessage(WAIT)).isEqualTo("started");
    gate.tell(new Msg("stop"));
    assertThat(events.receiveMessage(WAIT)).isEqualTo("stopped");
    TestProbe<Object> watcher = kit.createTestProbe();
    watcher.expectTerminated(gate, WAIT);
    assertThat(fence.left).isTrue();
  }
}
