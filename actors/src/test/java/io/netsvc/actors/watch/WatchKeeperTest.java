package io.netsvc.actors.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.k8s.WatchRegistration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A watch singleton's registration: retried without leaking, closed when the owner stops. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchKeeperTest {
  private static final Duration BACKOFF = Duration.ofMillis(50);
  ActorTestKit kit;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("WatchKeeperTest");
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  /** A registration whose sync the test decides. */
  private static final class Fake implements WatchRegistration {
    final CompletableFuture<Void> synced = new CompletableFuture<>();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public CompletionStage<Void> synced() {
      return synced;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  /** Registrations in the order the keeper made them. */
  private static final class Source {
    final List<Fake> made = new CopyOnWriteArrayList<>();

    WatchRegistration register() {
      Fake f = new Fake();
      made.add(f);
      return f;
    }
  }

  /** A keeper over a fresh source, once it made its first registration. */
  private final class Run {
    final Source source = new Source();
    final TestProbe<String> owner = kit.createTestProbe();
    final ActorRef<WatchKeeper.Command> keeper =
        kit.spawn(WatchKeeper.create("test", source::register, owner.ref(), "synced", BACKOFF));

    Run() {
      await().until(() -> source.made.size() == 1);
    }
  }

  @Test
  void aFailedRegistrationIsClosedBeforeTheNextAndTheOwnerHearsOnceWhenSynced() {
    Run run = new Run();
    Source source = run.source;
    source.made.get(0).synced.completeExceptionally(new IllegalStateException("API down"));
    await().until(() -> source.made.size() == 2);
    assertThat(source.made.get(0).closed).isTrue();
    source.made.get(1).synced.completeExceptionally(new IllegalStateException("API down"));
    await().until(() -> source.made.size() == 3);
    assertThat(source.made.get(1).closed).isTrue();

    source.made.get(2).synced.complete(null);
    run.owner.expectMessage("synced");
    run.owner.expectNoMessage(BACKOFF.multipliedBy(4));
    assertThat(source.made).hasSize(3);
    assertThat(source.made.get(2).closed).isFalse();

    kit.stop(run.keeper);
    await().until(() -> source.made.get(2).closed.get());
  }

  @Test
  void aRegistrationThatThrowsIsRetriedToo() {
    List<Fake> made = new CopyOnWriteArrayList<>();
    TestProbe<String> owner = kit.createTestProbe();
    kit.spawn(
        WatchKeeper.create(
            "test",
            () -> {
              if (made.isEmpty()) {
                made.add(new Fake());
                throw new IllegalStateException("informers closed");
              }
              Fake f = new Fake();
              f.synced.complete(null);
              made.add(f);
              return f;
            },
            owner.ref(),
            "synced",
            BACKOFF));
    owner.expectMessage("synced");
    assertThat(made).hasSize(2);
  }

  @Test
  void stoppingBeforeTheSyncClosesTheRegistration() {
    Run run = new Run();
    Source source = run.source;
    kit.stop(run.keeper);
    await().until(() -> source.made.get(0).closed.get());
    source.made.get(0).synced.complete(null);
    run.owner.expectNoMessage(BACKOFF.multipliedBy(4));
  }
}
