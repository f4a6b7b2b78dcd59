package io.netsvc.actors.servicelb;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.servicelb.ServiceActor.CleanedUp;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.DaemonSetApplied;
import io.netsvc.actors.servicelb.ServiceActor.DaemonSetDeleted;
import io.netsvc.actors.servicelb.ServiceActor.FinalizerAdded;
import io.netsvc.actors.servicelb.ServiceActor.StatusPatched;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.DaemonSetRequest;
import io.netsvc.actors.servicelb.model.IngressCalculator;
import io.netsvc.config.Errors;
import io.netsvc.k8s.ServiceLbApi;
import io.netsvc.k8s.convert.AppliedHash;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Writes one Service's load balancer to the API and remembers what it wrote: at most one write of
 * each kind in flight, each only when it changes something, K3s's event after each, and a backoff
 * retry after a failure. Results come back as {@link ServiceActor.WriteDone} messages.
 */
final class ServiceApiWriter {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  /** What this actor knows of its svclb DaemonSet. */
  private sealed interface DaemonSetState {}

  /** Nothing written yet: the DaemonSet may or may not exist. */
  private record Unknown() implements DaemonSetState {}

  /**
   * Applied as the rendering of {@code request}: a later request equal to it needs no rendering, a
   * different one whose rendering is the same DaemonSet no write. (The DaemonSet itself is not
   * kept: ~10 KB per Service; it is rendered again from the request in the rare case of a different
   * request.)
   */
  private record Present(DaemonSetRequest request) implements DaemonSetState {}

  /** Deleted, or there was none to delete. */
  private record Absent() implements DaemonSetState {}

  /** Applying {@code request}'s rendering; {@code before} holds again if that fails. */
  private record Applying(DaemonSetRequest request, DaemonSetState before)
      implements DaemonSetState {}

  /** Deleting; {@code before} holds again if that fails. */
  private record Deleting(DaemonSetState before) implements DaemonSetState {}

  /** What this actor knows of {@code status.loadBalancer}. */
  private sealed interface StatusState {}

  /** Not patched by this actor: the API's value is what the Service advertises. */
  private record Unwritten() implements StatusState {}

  private record Written(List<IngressInfo> ingress) implements StatusState {}

  /** Patching from {@code before} to {@code ingress}; {@code prior} holds again if that fails. */
  private record Patching(List<IngressInfo> ingress, List<IngressInfo> before, StatusState prior)
      implements StatusState {}

  /**
   * A write that is needed once: the finalizer (done: wait for the watch to show it), the
   * tear-down.
   */
  private enum Progress {
    IDLE,
    RUNNING,
    DONE
  }

  private final ActorContext<Command> ctx;
  private final ServiceLbDeps deps;
  private final TimerScheduler<Command> timers;
  private ServiceInfo svc;
  private DaemonSetState daemonSet = new Unknown();
  private StatusState status = new Unwritten();
  private Progress finalizer = Progress.IDLE;
  private Progress cleanup = Progress.IDLE;

  /**
   * After a failed write nothing is written until the retry (a {@link ServiceActor.Resync}) is due,
   * so a failing API is not called again at once by the re-plan that follows every result.
   */
  private boolean holdingOff;

  private String lastWarning;
  private List<Conflict> lastConflicts = List.of();
  private Duration backoff;

  ServiceApiWriter(ActorContext<Command> ctx, ServiceLbDeps deps, TimerScheduler<Command> timers) {
    this.ctx = ctx;
    this.deps = deps;
    this.timers = timers;
    this.backoff = deps.retryBackoff();
  }

  /**
   * A write is running, a failed one waits for its retry, or the finalizer was added and the watch
   * has not shown it yet: the actor must not passivate.
   */
  boolean busy() {
    return holdingOff
        || daemonSet instanceof Applying
        || daemonSet instanceof Deleting
        || status instanceof Patching
        || finalizer != Progress.IDLE
        || cleanup == Progress.RUNNING;
  }

  /** The retry is due, or a periodic pass came: writes may start again. */
  void resume() {
    holdingOff = false;
  }

  void ensureFinalizer(ServiceInfo s) {
    svc = s;
    if (s.hasCleanupFinalizer()) {
      finalizer = Progress.IDLE; // should it go again, it is added again
      return;
    }
    if (finalizer != Progress.IDLE || holdingOff) return;
    finalizer = Progress.RUNNING;
    pipe(
        deps.api().addFinalizer(s.namespace(), s.name(), ServiceInfo.LB_CLEANUP_FINALIZER),
        (v, error) -> new FinalizerAdded(error));
  }

  void applyDaemonSet(ServiceInfo s, DaemonSetRequest request) {
    svc = s;
    // One DaemonSet write at a time: an apply racing a delete could end with neither.
    if (daemonSet instanceof Applying || daemonSet instanceof Deleting || holdingOff) return;
    // re-planned from the same facts (a write's result, a repeated message): nothing to render
    if (daemonSet instanceof Present p && p.request().equals(request)) return;
    DaemonSet rendered = request.render();
    // e.g. a Service annotation the DaemonSet does not carry changed
    if (daemonSet instanceof Present p && p.request().render().equals(rendered)) {
      daemonSet = new Present(request);
      return;
    }
    // written with the hash of what was applied: the API server's defaults do not make it differ
    DaemonSet ds = AppliedHash.stamp(rendered);
    // A rebuilt actor does not know what it wrote before: the cache tells whether it is in place.
    if (daemonSet instanceof Unknown && deps.cache().deployed(ds)) {
      daemonSet = new Present(request);
      return;
    }
    daemonSet = new Applying(request, daemonSet);
    event("Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
    pipe(deps.api().applyDaemonSet(ds), (v, error) -> new DaemonSetApplied(error));
  }

  void deleteDaemonSet(ServiceInfo s) {
    svc = s;
    if (daemonSet instanceof Applying
        || daemonSet instanceof Deleting
        || daemonSet instanceof Absent
        || holdingOff) {
      return;
    }
    daemonSet = new Deleting(daemonSet);
    pipe(
        deps.api().deleteDaemonSet(deps.render().lbNamespace(), ServiceActor.daemonSetName(s)),
        (existed, error) -> new DaemonSetDeleted(Boolean.TRUE.equals(existed), error));
  }

  /** What the Service advertises now, as far as this actor knows. */
  List<IngressInfo> advertised(ServiceInfo s) {
    List<IngressInfo> now =
        status instanceof Patching p
            ? p.ingress()
            : status instanceof Written w ? w.ingress() : s.ingress();
    return now == null ? List.of() : now;
  }

  /** Patches the status to {@code ingress} unless it holds that (or a write waits); true if so. */
  boolean writeStatus(ServiceInfo s, List<IngressInfo> ingress) {
    svc = s;
    if (status instanceof Patching || holdingOff) return false;
    List<IngressInfo> base = status instanceof Written w ? w.ingress() : s.ingress();
    if (ingress == base || IngressCalculator.sameIngress(ingress, base)) return false;
    status = new Patching(ingress, base, status);
    pipe(
        deps.api().patchLoadBalancerStatus(s.namespace(), s.name(), ingress),
        (v, error) -> new StatusPatched(error));
    return true;
  }

  /** Tear down after a deletion or a type change; true once nothing is left to do. */
  boolean cleanUp(ServiceInfo s) {
    svc = s;
    if (cleanup == Progress.DONE) return true;
    if (cleanup == Progress.RUNNING || holdingOff) return false;
    cleanup = Progress.RUNNING;
    if (s.hasCleanupFinalizer()) event("Normal", "DeletingLoadBalancer", "Deleting load balancer");
    pipe(tearDown(deps.api(), deps.render().lbNamespace(), s), (v, error) -> new CleanedUp(error));
    return false;
  }

  /**
   * The tear-down's API calls in order, each with its K3s event. Runs on the client's threads, so
   * it reads nothing but its arguments.
   */
  private static CompletionStage<Void> tearDown(ServiceLbApi api, String ns, ServiceInfo s) {
    ObjectRef ref = ObjectRef.of(s);
    String dsName = ServiceActor.daemonSetName(s);
    boolean ours = s.hasCleanupFinalizer();
    return api.deleteDaemonSet(ns, dsName)
        .thenCompose(
            existed -> {
              if (existed) {
                api.event(
                    ref,
                    "Normal",
                    "DeletedDaemonSet",
                    "Deleted LoadBalancer DaemonSet " + ns + "/" + dsName);
              }
              if (!ours) return CompletableFuture.completedFuture(null);
              return api.removeFinalizer(s.namespace(), s.name(), ServiceInfo.LB_CLEANUP_FINALIZER)
                  .thenCompose(
                      v -> {
                        api.event(ref, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
                        // A Service with a class belongs to another controller: never touch its
                        // status.
                        return s.deleting() || s.loadBalancerClass() != null
                            ? CompletableFuture.completedFuture(null)
                            : api.patchLoadBalancerStatus(s.namespace(), s.name(), List.of());
                      });
            });
  }

  void finalizerAdded(FinalizerAdded m) {
    finalizer = m.error() == null ? Progress.DONE : Progress.IDLE;
    finish("adding the finalizer", m.error());
  }

  void daemonSetApplied(DaemonSetApplied m) {
    if (daemonSet instanceof Applying a) {
      daemonSet = m.error() == null ? new Present(a.request()) : a.before();
    }
    event("Normal", "AppliedDaemonSet", "Applied LoadBalancer DaemonSet " + daemonSetPath());
    finish("applying the DaemonSet", m.error());
  }

  void daemonSetDeleted(DaemonSetDeleted m) {
    if (daemonSet instanceof Deleting d) {
      daemonSet = m.error() == null ? new Absent() : d.before();
    }
    if (m.error() == null && m.existed()) {
      event("Normal", "DeletedDaemonSet", "Deleted LoadBalancer DaemonSet " + daemonSetPath());
    }
    finish("deleting the DaemonSet", m.error());
  }

  void statusPatched(StatusPatched m) {
    deps.metrics().statusWrite(m.error() == null);
    if (status instanceof Patching p) {
      status = m.error() == null ? new Written(p.ingress()) : p.prior();
      if (m.error() == null) statusEvent(p.before(), p.ingress());
    }
    finish("patching the status", m.error());
  }

  void cleanedUp(CleanedUp m) {
    cleanup = m.error() == null ? Progress.DONE : Progress.IDLE;
    finish("cleaning up", m.error());
  }

  private void statusEvent(List<IngressInfo> before, List<IngressInfo> now) {
    if (now.isEmpty()) {
      event("Warning", "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer");
    } else {
      event(
          "Normal",
          "UpdatedLoadBalancer",
          "Updated LoadBalancer with new IPs: "
              + IngressCalculator.describe(before)
              + " -> "
              + IngressCalculator.describe(now));
    }
  }

  /** A failed write is retried, with a backoff that doubles up to a minute. */
  private void finish(String write, String error) {
    if (error == null) {
      backoff = deps.retryBackoff();
      return;
    }
    ctx.getLog().warn("{} of {} failed: {}; retrying in {}", write, svc.key(), error, backoff);
    holdingOff = true;
    timers.startSingleTimer("retry", new ServiceActor.Resync(), backoff);
    Duration next = backoff.multipliedBy(2);
    backoff = next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  void warnOnce(ServiceInfo s, String reason, String message) {
    svc = s;
    String k = reason + "\n" + message;
    if (k.equals(lastWarning)) return;
    lastWarning = k;
    event("Warning", reason, message);
  }

  /** Warn when the set of port conflicts changes (and is not empty). */
  void reportConflicts(ServiceInfo s, List<Conflict> conflicts) {
    svc = s;
    lastWarning = null;
    if (conflicts.equals(lastConflicts)) return;
    long fresh = conflicts.stream().filter(c -> !lastConflicts.contains(c)).count();
    if (fresh > 0) deps.metrics().conflicts(s.key(), (int) fresh);
    lastConflicts = conflicts;
    if (conflicts.isEmpty()) return;
    String msg =
        "Host port(s) not available, svclb pods are not scheduled there: "
            + String.join("; ", conflicts.stream().map(Conflict::describe).toList());
    event("Warning", "HostPortConflict", msg.length() > 1000 ? msg.substring(0, 997) + "..." : msg);
  }

  private String daemonSetPath() {
    return deps.render().lbNamespace() + "/" + ServiceActor.daemonSetName(svc);
  }

  private void event(String type, String reason, String message) {
    deps.api().event(ObjectRef.of(svc), type, reason, message);
  }

  private <T> void pipe(CompletionStage<T> write, BiFunction<T, String, Command> done) {
    ctx.pipeToSelf(write, (v, err) -> done.apply(v, err == null ? null : Errors.rootMessage(err)));
  }
}
