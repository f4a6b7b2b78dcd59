package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.watch.WatchKeeper;
import io.netsvc.k8s.ServiceLbWatchHandler;
import io.netsvc.k8s.WatchHandler;
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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ServiceLB watcher (a cluster singleton on the controller role): watches through the member's
 * shared informers and routes each change, as a small record, to the sharded entity that owns the
 * fact.
 */
public final class ServiceLbController extends AbstractBehavior<ServiceLbController.Command> {

  /** Messages of the controller. */
  public sealed interface Command extends CborSerializable
      permits Observed, WatchesStarted, FlushNodes, ResyncAll, ListServices, ListPools, Stop {}

  /** A watch callback: a record (Service/Node/Pod/EndpointSlice info), changed or deleted. */
  public record Observed(Object object, boolean deleted) implements Command {}

  /** The watches have listed every object. */
  public record WatchesStarted() implements Command {}

  public record FlushNodes() implements Command {}

  public record ResyncAll() implements Command {}

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
                timers -> new ServiceLbController(ctx, timers, deps, source, resyncInterval)));
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLbController.class);
  private final ServiceLbDeps deps;
  private final TimerScheduler<Command> timers;
  private final Routing routing;

  private ServiceLbController(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ServiceLbDeps deps,
      WatchSource<ServiceLbWatchHandler> source,
      Duration resyncInterval) {
    super(ctx);
    this.deps = deps;
    this.timers = timers;
    this.routing = new Routing(deps.sharding(), deps.render().lbNamespace());
    String lbNs = deps.render().lbNamespace();
    deps.api()
        .ensureNamespaceAndServiceAccount(lbNs, SvclbNames.SERVICE_ACCOUNT)
        .whenComplete(
            (v, e) -> {
              if (e != null)
                ctx.getLog()
                    .error("cannot ensure namespace/ServiceAccount in {}: {}", lbNs, e.toString());
            });
    deps.api().removeFinalizerFromAllServices(SvclbNames.LEGACY_FINALIZER);
    // watch callbacks (informer threads) become messages to this controller
    WatchHandler<Object> tell = (o, deleted) -> ctx.getSelf().tell(new Observed(o, deleted));
    var handler =
        new ServiceLbWatchHandler(tell::observed, tell::observed, tell::observed, tell::observed);
    ctx.spawn(
        WatchKeeper.create(
            "ServiceLB",
            () -> source.register(handler),
            ctx.getSelf(),
            new WatchesStarted(),
            deps.retryBackoff()),
        "watch");
    timers.startTimerWithFixedDelay("resync", new ResyncAll(), resyncInterval);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observed.class, this::onObserved)
        .onMessage(WatchesStarted.class, this::onStarted)
        .onMessage(FlushNodes.class, m -> flushNodes())
        .onMessage(ResyncAll.class, m -> resync())
        .onMessage(ListServices.class, m -> reply(m.replyTo(), routing.lbKeys()))
        .onMessage(ListPools.class, m -> reply(m.replyTo(), routing.poolIds()))
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onObserved(Observed m) {
    Object o = m.object();
    if (o instanceof ServiceInfo s) {
      routing.service(s, m.deleted());
    } else if (o instanceof NodeInfo n) {
      routing.node(n, m.deleted());
      if (!timers.isTimerActive("nodes")) {
        timers.startSingleTimer("nodes", new FlushNodes(), Duration.ofMillis(20));
      }
    } else if (o instanceof PodInfo p) {
      routing.pod(p, m.deleted());
    } else if (o instanceof EndpointSliceInfo e) {
      routing.slice(e, m.deleted());
    }
    return this;
  }

  private Behavior<Command> onStarted(WatchesStarted m) {
    routing.goLive();
    getContext()
        .getLog()
        .info("ServiceLB watching; {} LoadBalancer Services", routing.lbKeys().size());
    pruneOrphans();
    return this;
  }

  /** svclb DaemonSets whose Service is gone (deleted while no controller ran) are deleted. */
  private void pruneOrphans() {
    Set<String> wanted = routing.wantedDaemonSets();
    String ns = deps.render().lbNamespace();
    deps.api()
        .listDaemonSetNames(ns, SvclbNames.SVCNAME_LABEL)
        .thenAccept(
            names -> {
              for (String name : names) {
                if (!wanted.contains(name)) {
                  LOG.info("deleting orphaned svclb DaemonSet {}/{}", ns, name);
                  deps.api().deleteDaemonSet(ns, name);
                }
              }
            });
  }

  private Behavior<Command> flushNodes() {
    routing.publishNodes();
    return this;
  }

  private Behavior<Command> resync() {
    routing.resync();
    return this;
  }

  private Behavior<Command> reply(ActorRef<Keys> to, List<String> keys) {
    to.tell(new Keys(new ArrayList<>(keys)));
    return this;
  }
}
