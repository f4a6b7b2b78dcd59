package io.netsvc.actors.deploy;

import io.netsvc.config.Errors;
import io.netsvc.k8s.deploy.PassResult;
import io.netsvc.k8s.records.CborSerializable;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Cluster singleton (controller role) that runs the packaged-component deployer: at start it stages
 * the packaged manifests and makes sure the CRDs are served, then applies the manifests directory,
 * again whenever the directory changes (a WatchService, so a dropped file is applied within a
 * fraction of a second) and every {@code rescan} as a safety net. Passes are forced (every file
 * re-applied) until the first one without failures, as in K3s; one pass runs at a time, and changes
 * seen during a pass trigger one more.
 */
public final class DeployerActor extends AbstractBehavior<DeployerActor.Command> {

  /** Messages of the deployer; all local except {@link Stop}. */
  public sealed interface Command extends CborSerializable
      permits Prepared, PrepareAgain, Due, Changed, PassDone, Stop {}

  record Prepared(String error) implements Command {}

  record PrepareAgain() implements Command {}

  record Due() implements Command {}

  record Changed() implements Command {}

  record PassDone(PassResult result, String error) implements Command {}

  /** Stops the directory watch (the singleton's stop message). */
  public record Stop() implements Command {}

  /** A change is applied this long after the last event of a burst (an editor writes twice). */
  static final Duration DEBOUNCE = Duration.ofMillis(150);

  public static Behavior<Command> create(DeployDeps deps) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new DeployerActor(ctx, timers, deps)));
  }

  private final TimerScheduler<Command> timers;
  private final DeployDeps deps;
  private DirectoryWatcher watcher;
  private boolean prepared;
  private boolean running;
  private boolean again;
  private boolean force = true;

  private DeployerActor(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, DeployDeps deps) {
    super(ctx);
    this.timers = timers;
    this.deps = deps;
    prepare();
  }

  private void prepare() {
    running = true;
    getContext()
        .pipeToSelf(
            CompletableFuture.runAsync(deps.jobs()::prepare, deps.blocking()),
            (ok, err) -> new Prepared(err == null ? null : Errors.rootMessage(err)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Prepared.class, this::onPrepared)
        .onMessage(PrepareAgain.class, m -> prepareAgain())
        .onMessage(Due.class, m -> runPass())
        .onMessage(Changed.class, this::onChanged)
        .onMessage(PassDone.class, this::onPassDone)
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> closeWatcher())
        .build();
  }

  private Behavior<Command> prepareAgain() {
    prepare();
    return this;
  }

  private Behavior<Command> onPrepared(Prepared m) {
    running = false;
    if (m.error() != null) {
      getContext().getLog().warn("deploy: cannot prepare {} (retrying): {}", deps.dir(), m.error());
      timers.startSingleTimer("prepare", new PrepareAgain(), deps.retry());
      return this;
    }
    if (!prepared) {
      prepared = true;
      startWatcher();
      timers.startTimerWithFixedDelay("rescan", new Due(), deps.rescan());
    }
    return runPass();
  }

  private void startWatcher() {
    var self = getContext().getSelf();
    try {
      Files.createDirectories(deps.dir());
      watcher = new DirectoryWatcher(deps.dir(), () -> self.tell(new Changed()));
    } catch (Exception e) {
      getContext()
          .getLog()
          .warn(
              "deploy: cannot watch {}, relying on the periodic rescan: {}",
              deps.dir(),
              e.toString());
    }
  }

  private Behavior<Command> onChanged(Changed m) {
    timers.startSingleTimer("changed", new Due(), DEBOUNCE);
    return this;
  }

  private Behavior<Command> runPass() {
    if (!prepared) return this;
    if (running) {
      again = true;
      return this;
    }
    running = true;
    again = false;
    boolean forced = force;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> deps.jobs().pass(forced), deps.blocking()),
            (r, err) -> new PassDone(r, err == null ? null : Errors.rootMessage(err)));
    return this;
  }

  private Behavior<Command> onPassDone(PassDone m) {
    running = false;
    if (m.error() != null) {
      getContext().getLog().warn("deploy: a pass over {} failed: {}", deps.dir(), m.error());
    } else {
      PassResult r = m.result();
      if (r.clean()) force = false;
      if (r.deployed() + r.failed() + r.removed() > 0) {
        getContext()
            .getLog()
            .info(
                "deploy: {} applied, {} removed, {} failed, {} unchanged",
                r.deployed(),
                r.removed(),
                r.failed(),
                r.skipped());
      }
    }
    if (again) runPass();
    return this;
  }

  private Behavior<Command> closeWatcher() {
    if (watcher != null) watcher.close();
    return this;
  }
}
