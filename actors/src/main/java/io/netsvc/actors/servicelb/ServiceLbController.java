package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.OrphanSweep;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.watch.WatchKeeper;
import io.netsvc.k8s.ServiceLbWatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * The ServiceLB watcher (a cluster singleton on the controller role): watches through the member's
 * shared informers and routes each change, as a small record, to the sharded entity that owns the
 * fact.
 */
public final class ServiceLbController extends AbstractBehavior<ServiceLbController.Command> {

  /** Messages of the controller. */
  public sealed interface Command extends CborSerializable
      permits Observed,
          WatchesStarted,
          NamespaceEnsured,
          DaemonSetsListed,
          CleanupDone,
          FlushNodes,
          ResyncAll,
          PruneOrphans,
          ListServices,
          ListPools,
          Stop {}

  /** A watch callback: an object changed, or was deleted. */
  public sealed interface Observed extends Command
      permits ServiceObserved, NodeObserved, PodObserved, EndpointSliceObserved {
    boolean deleted();
  }

  public record ServiceObserved(ServiceInfo service, boolean deleted) implements Observed {}

  public record NodeObserved(NodeInfo node, boolean deleted) implements Observed {}

  public record PodObserved(PodInfo pod, boolean deleted) implements Observed {}

  public record EndpointSliceObserved(EndpointSliceInfo slice, boolean deleted)
      implements Observed {}

  /** The watches have listed every object (told by the WatchKeeper child). */
  public record WatchesStarted() implements Command {}

  /** The svclb namespace and ServiceAccount exist ({@code error} null) or could not be made. */
  public record NamespaceEnsured(String error) implements Command {}

  /** The names of the svclb DaemonSets in the API, to prune those without a Service. */
  public record DaemonSetsListed(List<String> names, String error) implements Command {}

  /** A one-off clean-up ended: what it did (null: nothing worth saying), or why it failed. */
  public record CleanupDone(String summary, String error) implements Command {}

  public record FlushNodes() implements Command {}

  public record ResyncAll() implements Command {}

  /** Look in the member's cache for svclb DaemonSets whose Service is gone. */
  public record PruneOrphans() implements Command {}

  public record ListServices(ActorRef<Keys> replyTo) implements Command {}

  public record ListPools(ActorRef<Keys> replyTo) implements Command {}

  public record Stop() implements Command {}

  /** Sorted entity ids. */
  public record Keys(List<String> keys) implements CborSerializable {}

  public static Behavior<Command> create(
      ServiceLbDeps deps, WatchSource<ServiceLbWatchHandler> source, Duration resyncInterval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  start(ctx, deps, source);
                  timers.startTimerWithFixedDelay("resync", new ResyncAll(), resyncInterval);
                  timers.startTimerWithFixedDelay("orphans", new PruneOrphans(), ORPHAN_CHECK);
                  return new ServiceLbController(ctx, timers, deps);
                }));
  }

  /** The API writes of a fresh controller and its watches; each answers with a message. */
  private static void start(
      ActorContext<Command> ctx, ServiceLbDeps deps, WatchSource<ServiceLbWatchHandler> source) {
    ctx.pipeToSelf(
        deps.api()
            .ensureNamespaceAndServiceAccount(
                deps.render().lbNamespace(), SvclbNames.SERVICE_ACCOUNT),
        (v, e) -> new NamespaceEnsured(e == null ? null : e.toString()));
    ctx.pipeToSelf(
        deps.api().removeFinalizerFromAllServices(SvclbNames.LEGACY_FINALIZER),
        (n, e) ->
            new CleanupDone(
                n == null || n == 0 ? null : "removed " + n + " legacy finalizer(s)",
                e == null ? null : e.toString()));
    // watch callbacks (informer threads) become messages to this controller
    ActorRef<Command> self = ctx.getSelf();
    var handler =
        new ServiceLbWatchHandler(
            (s, gone) -> self.tell(new ServiceObserved(s, gone)),
            (n, gone) -> self.tell(new NodeObserved(n, gone)),
            (p, gone) -> self.tell(new PodObserved(p, gone)),
            (e, gone) -> self.tell(new EndpointSliceObserved(e, gone)));
    ctx.spawn(
        WatchKeeper.create(
            "ServiceLB",
            () -> source.register(handler),
            self,
            new WatchesStarted(),
            deps.retryBackoff()),
        "watch");
  }

  /**
   * How often the cache is checked for orphaned svclb DaemonSets. One found twice in a row is
   * deleted: a Service deleted while the singleton moved, or a DaemonSet whose apply was in flight
   * when its Service went, would otherwise stay until the next start of the controller.
   */
  static final Duration ORPHAN_CHECK = Duration.ofSeconds(5);

  private final ServiceLbDeps deps;
  private final TimerScheduler<Command> timers;
  private final ServiceLbIndex index;
  private final OrphanSweep orphans = new OrphanSweep();

  private ServiceLbController(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, ServiceLbDeps deps) {
    super(ctx);
    this.deps = deps;
    this.timers = timers;
    this.index = new ServiceLbIndex(deps.sharding(), deps.render().lbNamespace());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            ServiceObserved.class, m -> observed(() -> index.service(m.service(), m.deleted())))
        .onMessage(NodeObserved.class, this::onNode)
        .onMessage(PodObserved.class, m -> observed(() -> index.pod(m.pod(), m.deleted())))
        .onMessage(
            EndpointSliceObserved.class, m -> observed(() -> index.slice(m.slice(), m.deleted())))
        .onMessage(WatchesStarted.class, this::onStarted)
        .onMessage(NamespaceEnsured.class, this::onNamespaceEnsured)
        .onMessage(DaemonSetsListed.class, this::pruneOrphans)
        .onMessage(CleanupDone.class, m -> logCleanup(getContext().getLog(), m))
        .onMessage(FlushNodes.class, m -> observed(index::publishNodes))
        .onMessage(ResyncAll.class, m -> observed(index::resync))
        .onMessage(PruneOrphans.class, m -> pruneCachedOrphans())
        .onMessage(ListServices.class, m -> reply(m.replyTo(), index.lbKeys()))
        .onMessage(ListPools.class, m -> reply(m.replyTo(), index.poolIds()))
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> observed(Runnable update) {
    update.run();
    return this;
  }

  /** Node changes in a burst reach the pools once. */
  private Behavior<Command> onNode(NodeObserved m) {
    index.node(m.node(), m.deleted());
    if (!timers.isTimerActive("nodes")) {
      timers.startSingleTimer("nodes", new FlushNodes(), Duration.ofMillis(20));
    }
    return this;
  }

  private Behavior<Command> onStarted(WatchesStarted m) {
    index.goLive();
    getContext()
        .getLog()
        .info("ServiceLB watching; {} LoadBalancer Services", index.lbKeys().size());
    getContext()
        .pipeToSelf(
            deps.api().listDaemonSetNames(deps.render().lbNamespace(), SvclbNames.SVCNAME_LABEL),
            (names, e) -> new DaemonSetsListed(names, e == null ? null : e.toString()));
    return this;
  }

  private Behavior<Command> onNamespaceEnsured(NamespaceEnsured m) {
    if (m.error() != null) {
      getContext()
          .getLog()
          .error(
              "cannot ensure namespace/ServiceAccount in {}: {}",
              deps.render().lbNamespace(),
              m.error());
    }
    return this;
  }

  /** svclb DaemonSets whose Service is gone (deleted while no controller ran) are deleted. */
  private Behavior<Command> pruneOrphans(DaemonSetsListed m) {
    String ns = deps.render().lbNamespace();
    if (m.error() != null) {
      getContext().getLog().warn("cannot list the svclb DaemonSets in {}: {}", ns, m.error());
      return this;
    }
    Set<String> wanted = index.wantedDaemonSets();
    for (String name : m.names()) {
      if (!wanted.contains(name)) {
        getContext().getLog().info("deleting orphaned svclb DaemonSet {}/{}", ns, name);
        deps.api().deleteDaemonSet(ns, name);
      }
    }
    return this;
  }

  /** The level-triggered twin of {@link #pruneOrphans}, from the member's cache. */
  private Behavior<Command> pruneCachedOrphans() {
    if (!index.live() || !deps.cache().synced()) return this;
    String ns = deps.render().lbNamespace();
    Set<String> present = new TreeSet<>();
    deps.cache().daemonSets().stream()
        .filter(d -> ns.equals(d.namespace()))
        .forEach(d -> present.add(d.name()));
    for (String name : orphans.confirmed(present, index.wantedDaemonSets())) {
      getContext().getLog().info("deleting orphaned svclb DaemonSet {}/{}", ns, name);
      deps.repairs().repaired("service");
      deps.api().deleteDaemonSet(ns, name);
    }
    return this;
  }

  /** Logs a clean-up's outcome; the disabled controller ({@link ServiceLbDisabled}) does too. */
  static <T> Behavior<T> logCleanup(Logger log, CleanupDone m) {
    if (m.error() != null) log.error("ServiceLB clean-up failed: {}", m.error());
    else if (m.summary() != null) log.info(m.summary());
    return Behaviors.same();
  }

  private Behavior<Command> reply(ActorRef<Keys> to, List<String> keys) {
    to.tell(new Keys(new ArrayList<>(keys)));
    return this;
  }
}
