package io.netsvc.actors.servicelb;

import io.netsvc.actors.Passivation;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.LbPlan;
import io.netsvc.actors.servicelb.model.LivePlan;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One Service (entity id {@code ns/name}): wants its ports on every eligible node, applies the
 * svclb DaemonSet only where they were granted, and advertises the nodes whose svclb pod is Ready.
 * Level-triggered: every message updates what it knows, then {@link ServiceReconciler} writes the
 * difference.
 *
 * <p>An actor that starts (first message, restart, move to another member after a crash) reads the
 * Service, its svclb pods and EndpointSlices, its pool's nodes and its deployed DaemonSet from the
 * member's caches when they are synced, so its first plan is made from the full facts: it never
 * clears or shrinks the status of a Service whose svclb pods stayed Ready, nor re-applies a
 * DaemonSet that would not change.
 */
public final class ServiceActor {
  private ServiceActor() {}

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "ServiceLbService");

  /** Messages of a ServiceActor. */
  public sealed interface Command extends CborSerializable
      permits Changed,
          Deleted,
          PoolChanged,
          PortDecision,
          SvclbPod,
          Endpoints,
          Resync,
          RecheckCache,
          Settle,
          GetSummary,
          IdleCheck,
          WriteDone {}

  /** The Service as the API has it now. */
  public record Changed(ServiceInfo service) implements Command {}

  /** The Service is gone from the API. */
  public record Deleted(ServiceInfo lastKnown) implements Command {}

  /** The nodes of the Service's pool (before its own tolerations are applied). */
  public record PoolChanged(String pool, boolean allowListMode, List<NodeInfo> nodes)
      implements Command {}

  /** A NodeActor's answer to a claim: granted, or refused with the holders of the ports. */
  public record PortDecision(String node, boolean granted, List<Conflict> conflicts)
      implements Command {}

  /** One of the Service's svclb pods changed or went away. */
  public record SvclbPod(PodInfo pod, boolean deleted) implements Command {}

  /** An EndpointSlice of the Service changed or went away. */
  public record Endpoints(EndpointSliceInfo slice, boolean deleted) implements Command {}

  /** Periodic level-triggered pass: re-claim ports (a NodeActor may have been rebuilt). */
  public record Resync() implements Command {}

  /**
   * A resync found the actor's facts differ from the member's caches; checked again a moment later
   * (a message on its way is no loss), then the facts are repaired from the caches. Local only.
   */
  public record RecheckCache() implements Command {}

  /** Time to write the partial status that was held back. */
  public record Settle() implements Command {}

  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  /** Time to check whether the actor is idle and may passivate. Local only. */
  public record IdleCheck() implements Command {}

  /** One of the actor's API writes ended; {@code error} is null on success. Local only. */
  public sealed interface WriteDone extends Command
      permits FinalizerAdded, DaemonSetApplied, DaemonSetDeleted, StatusPatched, CleanedUp {
    String error();
  }

  /** The {@code load-balancer-cleanup} finalizer was added to the Service. */
  public record FinalizerAdded(String error) implements WriteDone {}

  /** The svclb DaemonSet was applied. */
  public record DaemonSetApplied(String error) implements WriteDone {}

  /** The svclb DaemonSet was deleted; {@code existed}: there was one to delete. */
  public record DaemonSetDeleted(boolean existed, String error) implements WriteDone {}

  /** {@code status.loadBalancer} was patched. */
  public record StatusPatched(String error) implements WriteDone {}

  /** The tear-down after a deletion or a type change ended. */
  public record CleanedUp(String error) implements WriteDone {}

  /** What the Management route shows of one Service. */
  public record Summary(
      String service,
      String type,
      List<String> eligibleNodes,
      List<String> grantedNodes,
      List<String> advertised,
      String pendingReason,
      List<Conflict> conflicts)
      implements CborSerializable {}

  /** An actor that never passivates. */
  public static Behavior<Command> create(String key, ServiceLbDeps deps) {
    return create(key, deps, Passivation.Idle.NEVER);
  }

  /**
   * @param idle when the actor passivates: once nothing it knows changed for that long and it has
   *     no write, retry or held-back status pending (its state is rebuilt from the caches)
   */
  public static Behavior<Command> create(String key, ServiceLbDeps deps, Passivation.Idle idle) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new ServiceReconciler(ctx, timers, key, deps, idle)));
  }

  static Summary summary(String key, ServiceFacts facts, LivePlan live) {
    LbPlan plan = live.plan();
    List<String> ips = live.ingress().stream().map(IngressInfo::ip).toList();
    return new Summary(
        key,
        facts.svc == null ? null : facts.svc.type(),
        List.copyOf(plan.eligible()),
        List.copyOf(plan.granted()),
        ips,
        live.pendingText(),
        facts.conflicts(plan.eligible()));
  }

  static String daemonSetName(ServiceInfo svc) {
    return SvclbNames.daemonSetName(svc.name(), svc.uid());
  }
}
