package io.netsvc.actors.servicelb;

import io.netsvc.actors.Passivation;
import io.netsvc.actors.servicelb.ServiceActor.Changed;
import io.netsvc.actors.servicelb.ServiceActor.CleanedUp;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.DaemonSetApplied;
import io.netsvc.actors.servicelb.ServiceActor.DaemonSetDeleted;
import io.netsvc.actors.servicelb.ServiceActor.Deleted;
import io.netsvc.actors.servicelb.ServiceActor.Endpoints;
import io.netsvc.actors.servicelb.ServiceActor.FinalizerAdded;
import io.netsvc.actors.servicelb.ServiceActor.GetSummary;
import io.netsvc.actors.servicelb.ServiceActor.PoolChanged;
import io.netsvc.actors.servicelb.ServiceActor.PortDecision;
import io.netsvc.actors.servicelb.ServiceActor.RecheckCache;
import io.netsvc.actors.servicelb.ServiceActor.Resync;
import io.netsvc.actors.servicelb.ServiceActor.StatusPatched;
import io.netsvc.actors.servicelb.ServiceActor.SvclbPod;
import io.netsvc.actors.servicelb.ServiceActor.WriteDone;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.DaemonSetRequest;
import io.netsvc.actors.servicelb.model.LbPlan;
import io.netsvc.actors.servicelb.model.LivePlan;
import io.netsvc.actors.servicelb.model.PendingReason;
import io.netsvc.actors.servicelb.model.PlanInputs;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** The behaviour of a {@link ServiceActor}: learn, plan, write the difference. */
final class ServiceReconciler extends AbstractBehavior<Command> {
  /** A difference from the caches that outlives this is a lost message, not one on its way. */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private final String key;
  private final ServiceLbDeps deps;
  private final TimerScheduler<Command> timers;
  private final ServiceFacts facts = new ServiceFacts();
  private final ServiceApiWriter writer;

  private final PortClaims claims;

  private final Passivation<Command> passivation;

  private final StatusPacer pacer = new StatusPacer();

  private final PoolLink poolLink;

  /** The last full plan, kept current with svclb pods and endpoints. */
  private LivePlan live;

  /** The refused ports on the plan's eligible nodes, as of the plan. */
  private List<Conflict> conflicts = List.of();

  /** Ledgers still to answer the plan's claims: answers before the last one re-plan nothing. */
  private int undecidedLeft;

  /** A ledger answered since the plan (it is re-planned before it is shown). */
  private boolean stale;

  private PendingReason reportedPending;

  /**
   * This incarnation applied the DaemonSet, and not every granted node has had a Ready svclb pod
   * since: a rollout whose pod events are still to come. It keeps the actor from passivating (see
   * {@link #onIdleCheck}).
   */
  private boolean rollingOut;

  ServiceReconciler(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String key,
      ServiceLbDeps deps,
      Passivation.Idle idle) {
    super(ctx);
    this.key = key;
    this.deps = deps;
    this.timers = timers;
    this.writer = new ServiceApiWriter(ctx, deps, timers);
    this.claims = new PortClaims(key, deps, facts);
    this.poolLink = new PoolLink(key, deps, facts);
    this.passivation = new Passivation<>(idle, ctx, timers, new ServiceActor.IdleCheck());
    if (deps.cache().synced()) rebuild();
  }

  /**
   * Starts from the caches: the Service, its svclb pods and EndpointSlices, the pool's nodes, and
   * the nodes its deployed DaemonSet was granted (claimed again; taken as granted until the ledgers
   * answer). A self-sent Resync then plans and writes what differs, which after a restart is
   * nothing.
   */
  private void rebuild() {
    ServiceLbCache cache = deps.cache();
    ServiceInfo svc = cache.service(key).orElse(null);
    if (svc == null) return; // gone, or not known here yet: wait for messages
    ServiceRebuild.loadObjects(cache, svc, facts);
    if (!svc.wantsLoadBalancer()) return;
    poolLink.subscribe(PoolActor.idFor(svc.labels().get(SvclbNames.LBPOOL_LABEL)));
    ServiceRebuild.Pool pool = ServiceRebuild.loadPool(cache, svc, facts);
    Set<PortKey> ports = PortClaims.ports(svc);
    for (String node :
        ServiceRebuild.grantedByDaemonSet(cache, deps.render().lbNamespace(), svc, pool, ports)) {
      claims.assume(node, ports);
      facts.decisions.put(node, new PortDecision(node, true, List.of()));
    }
    getContext().getSelf().tell(new Resync()); // sends the claims, plans, writes what differs
  }

  /**
   * One case for every message, dispatched here: a receive builder's cases are made per actor
   * instance, and at one per message type they were a tenth of an idle ServiceActor's heap.
   */
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Command.class, this::onCommand)
        .onSignal(PostStop.class, s -> stopped())
        .onSignal(PreRestart.class, s -> stopped()) // the next incarnation reports afresh
        .build();
  }

  private Behavior<Command> onCommand(Command c) {
    if (c instanceof Changed m) return onChanged(m);
    if (c instanceof Deleted m) return onDeleted(m);
    if (c instanceof PoolChanged m) return onPool(m);
    if (c instanceof PortDecision m) return onDecision(m);
    if (c instanceof SvclbPod m) return onPod(m);
    if (c instanceof Endpoints m) return onEndpoints(m);
    if (c instanceof Resync m) return onResync(m);
    if (c instanceof RecheckCache m) return onRecheck(m);
    if (c instanceof ServiceActor.Settle m) return onSettle(m);
    if (c instanceof GetSummary m) return onSummary(m);
    if (c instanceof ServiceActor.IdleCheck m) return onIdleCheck(m);
    if (c instanceof FinalizerAdded m) return afterWrite(writer::finalizerAdded, m);
    if (c instanceof DaemonSetApplied m) return afterWrite(writer::daemonSetApplied, m);
    if (c instanceof DaemonSetDeleted m) return afterWrite(writer::daemonSetDeleted, m);
    if (c instanceof StatusPatched m) return afterWrite(writer::statusPatched, m);
    if (c instanceof CleanedUp m) return afterWrite(writer::cleanedUp, m);
    return this; // the interface is sealed: every kind is handled above
  }

  /**
   * Deleted, passivated, moved or restarting: the member no longer counts the Service as pending.
   */
  private Behavior<Command> stopped() {
    reportPending(null);
    return this;
  }

  /**
   * A write ended: the writes that waited for it (one of each kind at a time), or its retry, may
   * start now. No plan input changed (a plan reads none of what the actor writes), so the plan
   * stands: re-planning here cost a full plan per write, three or more per Service.
   */
  private <M extends WriteDone> Behavior<Command> afterWrite(Consumer<M> record, M m) {
    record.accept(m);
    if (m instanceof DaemonSetApplied && m.error() == null) rollingOut = true;
    return reconcile(false);
  }

  private Behavior<Command> onChanged(Changed m) {
    // every resync round repeats the Service: only a change keeps the actor from passivating
    if (!m.service().equals(facts.svc)) passivation.active();
    ServiceInfo before = facts.svc;
    facts.svc = m.service();
    // The actor's own writes (the finalizer, each status patch) come back as changes of fields no
    // plan reads: the plan, and the DaemonSet request it holds, stand (a new request would be
    // rendered and digested again only to find the same DaemonSet).
    return reconcile(!PlanInputs.samePlan(before, facts.svc));
  }

  private Behavior<Command> onDeleted(Deleted m) {
    claims.releaseAll();
    poolLink.unsubscribe();
    return Behaviors.stopped();
  }

  private Behavior<Command> onPool(PoolChanged m) {
    if (!m.pool().equals(poolLink.pool())) return this;
    if (m.allowListMode() != facts.allowListMode || !m.nodes().equals(facts.candidates)) {
      passivation.active();
    }
    facts.allowListMode = m.allowListMode();
    facts.candidates = m.nodes();
    return reconcile(true);
  }

  private Behavior<Command> onDecision(PortDecision m) {
    if (!claims.on(m.node())) return this;
    PortDecision before = facts.decisions.get(m.node());
    // A ledger answers every claim, also the repeated ones of a resync (a new actor's first
    // resync repeats all its claims): an answer it already has changes no fact, so the plan and
    // the writes it would make are the ones made when that answer first came. Re-planning for it
    // cost a plan (and a DaemonSet rendering) per node per Service in a burst.
    if (m.equals(facts.decisions.put(m.node(), m))) return this;
    passivation.active();
    // Nothing is written while any ledger is still to answer: at 5,000 nodes a plan per answer
    // was O(N^2) per Service. The last answer (or any changed one) plans.
    if (before == null
        && live != null
        && live.plan().undecided().contains(m.node())
        && --undecidedLeft > 0) {
      stale = true;
      return this;
    }
    return reconcile(true);
  }

  /**
   * A svclb pod or an EndpointSlice changed: only readiness and ingress can differ, so the live
   * plan counts it in O(log N) instead of a re-plan (a Service on N nodes sees ~3N pod events).
   */
  private Behavior<Command> onPod(SvclbPod m) {
    passivation.active();
    PodInfo before =
        m.deleted() ? facts.pods.remove(m.pod().name()) : facts.pods.put(m.pod().name(), m.pod());
    if (live == null || facts.svc == null) return reconcile(true);
    live.pod(before, m.deleted() ? null : m.pod());
    return reconcile(false);
  }

  private Behavior<Command> onEndpoints(Endpoints m) {
    passivation.active();
    List<String> after = m.deleted() ? null : m.slice().readyPodNodes();
    List<String> before =
        m.deleted()
            ? facts.slices.remove(m.slice().name())
            : facts.slices.put(m.slice().name(), after);
    if (live == null || facts.svc == null) return reconcile(true);
    live.slice(before, after);
    return reconcile(false);
  }

  private Behavior<Command> onResync(Resync m) {
    writer.resume();
    claims.resend();
    poolLink.resubscribe();
    if (facts.svc != null && deps.cache().synced() && !differences().isEmpty()) {
      timers.startSingleTimer("recheck", new RecheckCache(), RECHECK);
    }
    return reconcile(true);
  }

  /** Level-triggered repair: facts that still differ from the caches are replaced by theirs. */
  private Behavior<Command> onRecheck(RecheckCache m) {
    if (facts.svc == null || !deps.cache().synced()) return this;
    List<String> differ = differences();
    if (differ.isEmpty()) return this;
    getContext().getLog().info("{}: repairing {} from the caches", key, String.join(", ", differ));
    deps.repairs().repaired("service");
    ServiceInfo svc = deps.cache().service(key).orElse(null);
    if (svc == null) return onDeleted(new Deleted(facts.svc)); // its Deleted was lost
    ServiceRebuild.loadObjects(deps.cache(), svc, facts);
    if (poolLink.pool() != null) ServiceRebuild.loadPool(deps.cache(), svc, facts);
    return reconcile(true);
  }

  private List<String> differences() {
    return ServiceRebuild.differences(deps.cache(), key, facts, poolLink.pool() != null);
  }

  private Behavior<Command> onSettle(ServiceActor.Settle m) {
    if (facts.svc != null
        && facts.svc.wantsLoadBalancer()
        && live != null
        && !stale
        && live.plan().problems().isEmpty()
        && facts.candidates != null
        && live.plan().undecided().isEmpty()
        && writer.writeStatus(facts.svc, live.ingress())) {
      pacer.wrote();
    }
    return this;
  }

  private Behavior<Command> onSummary(GetSummary m) {
    passivation.active();
    if ((live == null || stale) && facts.svc != null) replan();
    if (live != null) m.replyTo().tell(ServiceActor.summary(key, facts, live));
    else m.replyTo().tell(new ServiceActor.Summary(key, null, null, null, null, "unknown", null));
    return this;
  }

  /**
   * Idle and settled: nothing it knows changed since the last check, no write running, retry due or
   * status held back, the pool and every ledger answered with no refusal, no warning standing. A
   * new incarnation rebuilds exactly this from the caches and writes nothing; one still waiting for
   * ports or the API, or warned, stays, so nothing pending is lost and no event repeated. One whose
   * DaemonSet it applied stays until every granted node has a Ready svclb pod: in a rollout the pod
   * events are due, and passivating in a gap between them cost a rebuild (a claim per node, the
   * pool, the caches) per gap; a burst of 1,000 Services on 100 nodes rebuilt ~2,500 times. (A
   * rebuilt actor that finds pods not Ready, e.g. on a node that went down, may passivate: a pod
   * that turns Ready wakes it, and the rebuilt status is the one of the Ready pods.)
   */
  private Behavior<Command> onIdleCheck(ServiceActor.IdleCheck m) {
    boolean settled =
        facts.svc == null
            || (live != null
                && !stale
                && facts.candidates != null
                && live.plan().undecided().isEmpty()
                && live.plan().problems().isEmpty()
                && conflicts.isEmpty()
                && !rollingOut);
    boolean busy =
        writer.busy() || timers.isTimerActive("settle") || timers.isTimerActive("recheck");
    if (passivation.check(busy || !settled)) {
      getContext().getLog().debug("{}: idle, passivating", key);
    }
    return this;
  }

  /** Re-plan from what is known and start the writes that bring the API there; report both. */
  private Behavior<Command> reconcile(boolean changed) {
    long start = System.nanoTime();
    Behavior<Command> next = replanAndWrite(changed);
    if (rollingOut && live != null && live.settled()) rollingOut = false;
    deps.metrics().reconciled(System.nanoTime() - start);
    ServiceInfo svc = facts.svc;
    reportPending(svc != null && svc.wantsLoadBalancer() && live != null ? live.pending() : null);
    return next;
  }

  /** Tells the metrics when the Service's pending reason changed (null: served, or gone here). */
  private void reportPending(PendingReason now) {
    if (now == reportedPending) return;
    reportedPending = now;
    deps.metrics().pending(key, now);
  }

  private Behavior<Command> replanAndWrite(boolean changed) {
    ServiceInfo svc = facts.svc;
    if (svc == null) return this;
    if (!svc.wantsLoadBalancer()) {
      claims.releaseAll();
      poolLink.unsubscribe();
      if (writer.cleanUp(svc)) return Behaviors.stopped();
      return this;
    }
    writer.ensureFinalizer(svc);
    poolLink.subscribe(PoolActor.idFor(svc.labels().get(SvclbNames.LBPOOL_LABEL)));
    boolean replanned = changed || live == null;
    if (replanned) replan();
    LbPlan plan = live.plan();
    if (!plan.problems().isEmpty()) {
      writer.warnOnce(
          svc,
          "SyncLoadBalancerFailed",
          "Error syncing load balancer: " + String.join("; ", plan.problems()));
      return this;
    }
    // claims follow the eligible nodes, which only a full plan changes
    if (replanned && claims.follow(plan.eligible(), PortClaims.ports(svc))) {
      replan();
      plan = live.plan();
    }
    // Until the pool and every ledger have answered (e.g. right after a restart) nothing is
    // known to be wrong with what the API holds, so nothing is deleted or cleared.
    // (A Service without a ClusterIP yet would get a DaemonSet with empty DEST_IPS.)
    if (facts.candidates == null || !plan.undecided().isEmpty() || svc.clusterIPs().isEmpty()) {
      return this;
    }
    writer.reportConflicts(svc, conflicts);
    DaemonSetRequest ds = plan.daemonSetRequest();
    if (ds != null) writer.applyDaemonSet(svc, ds);
    else writer.deleteDaemonSet(svc);
    // While svclb pods are still coming up, partial lists are held back (see StatusPacer) and the
    // final list is written at once: svclb pods that become Ready together (the usual case) cost
    // one status write, not one for the first address and one for the rest. The first address
    // may appear up to 250 ms later for it.
    boolean partial = !live.settled() && live.advertises();
    if (pacer.observe(live)) timers.cancel("settle"); // started again below, at the first pace
    if (!partial) {
      timers.cancel("settle");
      writer.writeStatus(svc, live.ingress());
    } else if (!timers.isTimerActive("settle")) {
      timers.startSingleTimer("settle", new ServiceActor.Settle(), pacer.delay());
    }
    return this;
  }

  /** A full plan from everything known: O(N) in the Service's nodes. */
  private void replan() {
    live = new LivePlan(inputs(), facts.slices.values());
    stale = false;
    undecidedLeft = live.plan().undecided().size();
    conflicts = facts.conflicts(live.plan().eligible());
  }

  private LbPlan.Inputs inputs() {
    return new LbPlan.Inputs(
        facts.svc,
        deps.render(),
        facts.allowListMode,
        facts.candidates,
        facts.grants(),
        facts.pods.values(),
        facts.endpointNodes(),
        facts.conflicts(claims.nodes()).stream().map(Conflict::describe).toList());
  }
}
