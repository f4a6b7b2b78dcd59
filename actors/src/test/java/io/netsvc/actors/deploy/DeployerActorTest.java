package io.netsvc.actors.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.k8s.deploy.PassResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest deployer singleton over jobs the test plays: each prepare and pass it runs is
 * recorded, in order, with whether the pass was forced; a pass's result and a prepare's failure are
 * scripted. The jobs run on the actor's thread, so nothing runs once it has stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployerActorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final PassResult CLEAN = new PassResult(1, 2, 0, 0);
  private static final PassResult ONE_FAILED = new PassResult(1, 1, 1, 0);

  ActorTestKit kit;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("DeployerActorTest");
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  /** What the deployer ran: "prepare", "pass forced" or "pass". */
  private static final class Jobs implements ManifestJobs {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final Deque<String> prepareFailures = new ArrayDeque<>();
    final Deque<PassResult> results = new ArrayDeque<>();

    /** The first {@code n} jobs run, once that many have. */
    List<String> first(int n) {
      await().atMost(WAIT).until(() -> ran.size() >= n);
      // a snapshot: a view of the live list throws once the deployer's rescan appends to it
      return List.copyOf(ran).subList(0, n);
    }

    @Override
    public synchronized void prepare() {
      ran.add("prepare");
      String failure = prepareFailures.poll();
      if (failure != null) throw new IllegalStateException(failure);
    }

    @Override
    public synchronized PassResult pass(boolean force) {
      ran.add(force ? "pass forced" : "pass");
      PassResult next = results.poll();
      return next == null ? CLEAN : next;
    }
  }

  private Jobs jobs() {
    return new Jobs();
  }

  private ActorRef<DeployerActor.Command> deployer(Jobs jobs, Path dir, Duration rescan) {
    return kit.spawn(
        DeployerActor.create(
            new DeployDeps(jobs, dir, rescan, Duration.ofMillis(50), Runnable::run)));
  }

  @Test
  void passesAreForcedFromTheStartUntilOneHasNoFailureAndTheRescanKeepsRunningThem(
      @TempDir Path dir) {
    Jobs jobs = jobs();
    jobs.results.add(ONE_FAILED);
    ActorRef<DeployerActor.Command> deployer = deployer(jobs, dir, Duration.ofMillis(100));
    // K3s re-applies every file until a pass went through without failures
    assertThat(jobs.first(6))
        .containsExactly("prepare", "pass forced", "pass forced", "pass", "pass", "pass");
    kit.stop(deployer, WAIT);
  }

  @Test
  void aFailedPreparationIsRetriedBeforeAnyPass(@TempDir Path dir) {
    Jobs jobs = jobs();
    jobs.prepareFailures.add("the Addon CRD is not served yet");
    jobs.prepareFailures.add("the Addon CRD is not served yet");
    ActorRef<DeployerActor.Command> deployer = deployer(jobs, dir, NEVER);
    assertThat(jobs.first(4)).containsExactly("prepare", "prepare", "prepare", "pass forced");
    kit.stop(deployer, WAIT);
  }

  @Test
  void aFileDroppedIntoTheDirectoryIsAppliedWithoutWaitingForTheRescan(@TempDir Path dir)
      throws Exception {
    Jobs jobs = jobs();
    ActorRef<DeployerActor.Command> deployer = deployer(jobs, dir, NEVER);
    assertThat(jobs.first(2)).containsExactly("prepare", "pass forced");
    Files.writeString(dir.resolve("app.yaml"), "apiVersion: v1\nkind: Namespace\n");
    assertThat(jobs.first(3)).containsExactly("prepare", "pass forced", "pass");
    kit.stop(deployer, WAIT);
  }

  @Test
  void aStoppedDeployerRunsNoMorePassesNotEvenForAChangedFile(@TempDir Path dir) throws Exception {
    Jobs jobs = jobs();
    ActorRef<DeployerActor.Command> deployer = deployer(jobs, dir, Duration.ofMillis(50));
    assertThat(jobs.first(3)).containsExactly("prepare", "pass forced", "pass");
    deployer.tell(new DeployerActor.Stop());
    kit.createTestProbe().expectTerminated(deployer, WAIT);
    int before = jobs.ran.size();
    Files.writeString(dir.resolve("late.yaml"), "apiVersion: v1\nkind: Namespace\n");
    // many rescan periods and a change: a stopped deployer applies nothing
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> jobs.ran.size() == before);
  }
}
