package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's netfilter programmer: merges the policy fragments and local pods its NodeActor sends,
 * and (batched: changes within a few milliseconds become one apply) renders and applies the
 * difference through a {@link NetpolDataplane} on a blocking thread, then reports the applied
 * generation to the NodeActor. Periodically verifies the kernel and repairs drift.
 */
public final class IptablesActor extends AbstractBehavior<IptablesActor.Command> {
  static final Duration BATCH = Duration.ofMillis(5);

  /** Messages of an IptablesActor (local to its agent). */
  public sealed interface Command permits PolicyInput, PodInput, Apply, Applied, Verify, Verified {}

  /** A policy's fragment from the NodeActor, forwarded by the agent. */
  public record PolicyInput(AgentProtocol.Fragment fragment) implements Command {}

  /** A local pod from the NodeActor, forwarded by the agent. */
  public record PodInput(AgentProtocol.LocalPod pod) implements Command {}

  record Apply() implements Command {}

  record Applied(long generation, Map<String, Long> policies, NetpolDataplane.Report report)
      implements Command {}

  record Verify() implements Command {}

  record Verified(boolean repaired, String error) implements Command {}

  public static Behavior<Command> create(
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      ClusterSharding sharding,
      Duration verifyEvery,
      NetpolMetrics metrics) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                t -> {
                  t.startTimerWithFixedDelay("verify", new Verify(), verifyEvery);
                  return new IptablesActor(
                      ctx, t, node, podCidrs, dataplane, blocking, sharding, metrics);
                }));
  }

  private final TimerScheduler<Command> timers;
  private final String node;
  private final List<String> podCidrs;
  private final NetpolDataplane dataplane;
  private final Executor blocking;
  private final ClusterSharding sharding;
  private final NetpolMetrics metrics;
  private final Map<String, CompiledPolicy> policies = new TreeMap<>();
  private final Map<String, Long> generations = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();
  private long generation;
  private boolean busy;
  private boolean dirty;

  private IptablesActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      List<String> podCidrs,
      NetpolDataplane dataplane,
      Executor blocking,
      ClusterSharding sharding,
      NetpolMetrics metrics) {
    super(ctx);
    this.timers = timers;
    this.node = node;
    this.podCidrs = List.copyOf(podCidrs);
    this.dataplane = dataplane;
    this.blocking = blocking;
    this.sharding = sharding;
    this.metrics = metrics;
    changed(); // the base chains exist even before any policy arrives
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PolicyInput.class, this::onPolicy)
        .onMessage(PodInput.class, this::onPod)
        .onMessage(Apply.class, m -> apply())
        .onMessage(Applied.class, this::onApplied)
        .onMessage(Verify.class, m -> verify())
        .onMessage(Verified.class, this::onVerified)
        .build();
  }

  private Behavior<Command> onPolicy(PolicyInput m) {
    AgentProtocol.Fragment f = m.fragment();
    if (f.policy() == null) {
      policies.remove(f.policyKey());
      generations.remove(f.policyKey());
    } else {
      policies.put(f.policyKey(), f.policy());
      generations.put(f.policyKey(), f.generation());
    }
    return changed();
  }

  private Behavior<Command> onPod(PodInput m) {
    AgentProtocol.LocalPod p = m.pod();
    if (p.pod() == null) pods.remove(p.podKey());
    else pods.put(p.podKey(), p.pod());
    return changed();
  }

  private Behavior<Command> changed() {
    dirty = true;
    if (!busy && !timers.isTimerActive("apply")) {
      timers.startSingleTimer("apply", new Apply(), BATCH);
    }
    return this;
  }

  private Behavior<Command> apply() {
    if (busy || !dirty) return this;
    busy = true;
    dirty = false;
    long gen = ++generation;
    Map<String, Long> gens = Map.copyOf(generations);
    NetpolDataplane.State state =
        new NetpolDataplane.State(
            node, podCidrs, List.copyOf(pods.values()), List.copyOf(policies.values()));
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> dataplane.apply(state), blocking),
            (r, err) ->
                new Applied(
                    gen,
                    gens,
                    r != null
                        ? r
                        : new NetpolDataplane.Report("", 0, 0, 0, 0, 0, String.valueOf(err))));
    return this;
  }

  private Behavior<Command> onApplied(Applied m) {
    busy = false;
    NetpolDataplane.Report r = m.report();
    if (r.error() != null) {
      metrics.failed(node);
      getContext().getLog().warn("netpol: applying on {} failed: {}", node, r.error());
      dirty = true; // try again after a pause
      timers.startSingleTimer("apply", new Apply(), Duration.ofSeconds(1));
    } else {
      metrics.applied(node, r.millis(), r.bytes(), r.chains(), r.rules(), r.sets());
      if (dirty) timers.startSingleTimer("apply", new Apply(), BATCH);
    }
    sharding
        .entityRefFor(NodeActor.TYPE_KEY, node)
        .tell(
            new NodeActor.NetpolApplied(
                new AppliedRuleset(
                    m.generation(),
                    r.error() == null ? m.policies() : Map.of(),
                    r.ruleset(),
                    r.millis(),
                    r.chains(),
                    r.rules(),
                    r.sets(),
                    r.error())));
    return this;
  }

  private Behavior<Command> verify() {
    if (busy) return this;
    busy = true;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(dataplane::repairDrift, blocking),
            (repaired, err) ->
                new Verified(Boolean.TRUE.equals(repaired), err == null ? null : err.toString()));
    return this;
  }

  private Behavior<Command> onVerified(Verified m) {
    busy = false;
    if (m.error() != null) {
      getContext().getLog().warn("netpol: verifying {} failed: {}", node, m.error());
    } else if (m.repaired()) {
      metrics.driftRepaired(node);
      getContext().getLog().warn("netpol: rules on {} had drifted and were restored", node);
    }
    if (dirty) timers.startSingleTimer("apply", new Apply(), BATCH);
    return this;
  }
}
