package io.netsvc.actors.servicelb;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.WriteDone;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.IngressCalculator;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The API writes of one ServiceActor: at most one of each kind in flight, each only when it changes
 * something, K3s's event after each, and a backoff retry after a failure.
 */
final class Writes {
  /** Kinds of write. */
  enum Write {
    FINALIZER,
    APPLY,
    DELETE,
    STATUS,
    CLEANUP
  }

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private final ActorContext<Command> ctx;
  private final ServiceLbDeps deps;
  private final TimerScheduler<Command> timers;
  private ServiceInfo svc;
  private boolean finalizerInFlight;
  private DaemonSet applied;
  private DaemonSet applying;
  private boolean deleteInFlight;

  /** Whether the DaemonSet exists: null while unknown. */
  private Boolean dsExists;

  private List<IngressInfo> written;
  private List<IngressInfo> writing;
  private boolean cleanupInFlight;
  private boolean cleanedUp;
  private String lastWarning;
  private List<Conflict> lastConflicts = List.of();
  private Duration backoff;

  Writes(ActorContext<Command> ctx, ServiceLbDeps deps, TimerScheduler<Command> timers) {
    this.ctx = ctx;
    this.deps = deps;
    this.timers = timers;
    this.backoff = deps.retryBackoff();
  }

  void ensureFinalizer(ServiceInfo s) {
    svc = s;
    if (s.hasCleanupFinalizer() || finalizerInFlight) return;
    finalizerInFlight = true;
    pipe(
        Write.FINALIZER,
        deps.api().addFinalizer(s.namespace(), s.name(), ServiceInfo.LB_CLEANUP_FINALIZER),
        null);
  }

  void applyDaemonSet(ServiceInfo s, DaemonSet ds) {
    svc = s;
    if (applying != null || ds.equals(applied)) return;
    applying = ds;
    event("Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
    pipe(Write.APPLY, deps.api().applyDaemonSet(ds), ds);
  }

  void deleteDaemonSet(ServiceInfo s) {
    svc = s;
    if (deleteInFlight || applying != null || Boolean.FALSE.equals(dsExists)) return;
    deleteInFlight = true;
    pipe(
        Write.DELETE,
        deps.api().deleteDaemonSet(deps.render().lbNamespace(), ServiceActor.daemonSetName(s)),
        null);
  }

  /** What the Service advertises now, as far as this actor knows. */
  List<IngressInfo> advertised(ServiceInfo s) {
    List<IngressInfo> base = writing != null ? writing : written != null ? written : s.ingress();
    return base == null ? List.of() : base;
  }

  void writeStatus(ServiceInfo s, List<IngressInfo> ingress) {
    svc = s;
    List<IngressInfo> base = written != null ? written : s.ingress();
    if (writing != null || IngressCalculator.sameIngress(ingress, base)) return;
    writing = ingress;
    pipe(Write.STATUS, deps.api().patchLoadBalancerStatus(s.namespace(), s.name(), ingress), base);
  }

  /** Tear down after a deletion or a type change; true once nothing is left to do. */
  boolean cleanUp(ServiceInfo s) {
    svc = s;
    if (cleanedUp) return true;
    if (cleanupInFlight) return false;
    cleanupInFlight = true;
    boolean ours = s.hasCleanupFinalizer();
    if (ours) event("Normal", "DeletingLoadBalancer", "Deleting load balancer");
    String dsName = ServiceActor.daemonSetName(s);
    String ns = deps.render().lbNamespace();
    CompletionStage<Object> chain =
        deps.api()
            .deleteDaemonSet(ns, dsName)
            .thenCompose(
                existed -> {
                  if (existed)
                    event(
                        "Normal",
                        "DeletedDaemonSet",
                        "Deleted LoadBalancer DaemonSet " + ns + "/" + dsName);
                  if (!ours) return CompletableFuture.completedFuture(null);
                  return deps.api()
                      .removeFinalizer(s.namespace(), s.name(), ServiceInfo.LB_CLEANUP_FINALIZER)
                      .thenCompose(
                          v -> {
                            event("Normal", "DeletedLoadBalancer", "Deleted load balancer");
                            // A Service with a class belongs to another controller: never touch its
                            // status.
                            return s.deleting() || s.loadBalancerClass() != null
                                ? CompletableFuture.completedFuture(null)
                                : deps.api()
                                    .patchLoadBalancerStatus(s.namespace(), s.name(), List.of());
                          });
                })
            .thenApply(v -> (Object) v);
    pipe(Write.CLEANUP, chain, null);
    return false;
  }

  /** Record a finished write; returns whether the actor should re-plan. */
  boolean done(WriteDone m) {
    boolean ok = m.error() == null;
    switch (m.write()) {
      case FINALIZER -> finalizerInFlight = false;
      case APPLY -> {
        DaemonSet ds = applying;
        applying = null;
        event(
            "Normal",
            "AppliedDaemonSet",
            "Applied LoadBalancer DaemonSet "
                + deps.render().lbNamespace()
                + "/"
                + ServiceActor.daemonSetName(svc));
        if (ok) {
          applied = ds;
          dsExists = true;
        }
      }
      case DELETE -> {
        deleteInFlight = false;
        if (ok) {
          if (Boolean.TRUE.equals(m.result()))
            event(
                "Normal",
                "DeletedDaemonSet",
                "Deleted LoadBalancer DaemonSet "
                    + deps.render().lbNamespace()
                    + "/"
                    + ServiceActor.daemonSetName(svc));
          dsExists = false;
          applied = null;
        }
      }
      case STATUS -> statusDone(m, ok);
      case CLEANUP -> {
        cleanupInFlight = false;
        cleanedUp = ok;
      }
    }
    if (ok) {
      backoff = deps.retryBackoff();
    } else {
      ctx.getLog()
          .warn("{} of {} failed: {}; retrying in {}", m.write(), svc.key(), m.error(), backoff);
      timers.startSingleTimer("retry", new ServiceActor.Resync(), backoff);
      Duration next = backoff.multipliedBy(2);
      backoff = next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private void statusDone(WriteDone m, boolean ok) {
    List<IngressInfo> now = writing;
    writing = null;
    if (!ok) return;
    List<IngressInfo> before = (List<IngressInfo>) m.result();
    written = now;
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
    lastConflicts = conflicts;
    if (conflicts.isEmpty()) return;
    StringBuilder msg =
        new StringBuilder("Host port(s) not available, svclb pods are not " + "scheduled there: ");
    msg.append(String.join("; ", conflicts.stream().map(Conflict::describe).toList()));
    event(
        "Warning",
        "HostPortConflict",
        msg.length() > 1000 ? msg.substring(0, 997) + "..." : msg.toString());
  }

  private void event(String type, String reason, String message) {
    deps.api().event(ObjectRef.of(svc), type, reason, message);
  }

  private <T> void pipe(Write w, CompletionStage<T> stage, Object carry) {
    ctx.pipeToSelf(
        stage,
        (v, err) ->
            new WriteDone(
                w, carry != null ? carry : v, err == null ? null : String.valueOf(rootCause(err))));
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t;
  }
}
