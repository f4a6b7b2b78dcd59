package io.netsvc.actors.node;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.config.Errors;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One node, the single writer of everything netsvc keeps per node: ServiceLB's host-port ledger (so
 * two LoadBalancer Services are never granted the same port on the same node), the cloud-controller
 * stub's view of the Node, and the NetworkPolicy fragments for the node's agent. Each feature's
 * share is a {@link NodeParts part} from the feature's own package; this actor routes messages to
 * them and supervises the node's agent: it watches the agent and, whenever one (re)registers, sends
 * it the full state again as a snapshot whose end is marked ({@link AgentProtocol}), with the
 * Node's pod CIDRs as the member's informer cache shows them (so the agent needs no API access).
 */
public final class NodeActor extends AbstractBehavior<NodeActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Node");

  /** Messages of a NodeActor. */
  public sealed interface Command extends CborSerializable
      permits ClaimPorts,
          ReleasePorts,
          PodPorts,
          GetLedger,
          RecheckPorts,
          RegisterAgent,
          NodeObserved,
          CloudWritten,
          RetryCloud,
          PolicyFragment,
          LocalPod,
          NetpolApplied,
          NetpolTick,
          RecheckPolicies,
          FlushAgent,
          GetNetpol,
          AgentProtocol.RulesetText,
          ShowTimedOut {}

  /** A Service wants these ports on this node; the answer goes to its ServiceActor. */
  public record ClaimPorts(String serviceKey, String creationTimestamp, Set<PortKey> ports)
      implements Command {}

  /** The Service no longer wants any port here. */
  public record ReleasePorts(String serviceKey) implements Command {}

  /** An ordinary pod on this node holds these host ports (empty: it is gone). */
  public record PodPorts(String podKey, Set<PortKey> ports) implements Command {}

  /** Reply with the ledger. */
  public record GetLedger(ActorRef<Ledger> replyTo) implements Command {}

  /** Time for the ledger's recheck (it waits for the caches, or for a recovered holder). */
  public record RecheckPorts() implements Command {}

  /** The node's agent (re)started, with the addresses it advertises. */
  public record RegisterAgent(ActorRef<AgentProtocol.Command> agent, AgentIdentity identity)
      implements Command {}

  /** The Node as the watch shows it now. */
  public record NodeObserved(NodeInfo node) implements Command {}

  /** A cloud-node write ended ({@code error} null on success). */
  public record CloudWritten(String error, boolean removedTaint) implements Command {}

  /** Time to retry a failed cloud-node write. */
  public record RetryCloud() implements Command {}

  /**
   * A NetworkPolicy's fragment for this node, or its removal ({@code policy} null). {@code
   * sentMicros}: when the policy sent it (wall clock, microseconds since the epoch), passed on to
   * the agent, which times the send stage from it; 0 for not timed. It says when, not what:
   * equality ignores it.
   */
  public record PolicyFragment(
      String policyKey, long generation, CompiledPolicy policy, long sentMicros)
      implements Command {
    /** Stamped now: a fragment is made where its policy sends it. */
    public PolicyFragment(String policyKey, long generation, CompiledPolicy policy) {
      this(policyKey, generation, policy, SendClock.micros());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PolicyFragment f
          && generation == f.generation
          && java.util.Objects.equals(policyKey, f.policyKey)
          && java.util.Objects.equals(policy, f.policy);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(policyKey, generation, policy);
    }
  }

  /** A pod on this node changed, or is gone ({@code pod} null). */
  public record LocalPod(String podKey, NetpolPod pod) implements Command {}

  /** The agent applied its ruleset. */
  public record NetpolApplied(AppliedRuleset report) implements Command {}

  /** The NetworkPolicy part's timer. */
  public record NetpolTick() implements Command {}

  /**
   * A member was lost: messages to or from this node's policies may have gone with it. Each policy
   * the node holds hears which generation, and repairs the node if that is not what it should hold.
   */
  public record RecheckPolicies() implements Command {}

  /** What waits in the agent's outbox goes out now ({@link AgentOutbox}). */
  public record FlushAgent() implements Command {}

  /** Reply with the node's NetworkPolicy state. */
  public record GetNetpol(ActorRef<NetpolState> replyTo) implements Command {}

  /** The agent did not answer the {@code seq}th {@link AgentProtocol.ShowRuleset} in time. */
  record ShowTimedOut(long seq) implements Command {}

  /**
   * The node's NetworkPolicy state, as the Management route shows it. {@code applied} is the
   * agent's last report (null until the first), its {@code ruleset} the text the agent showed when
   * asked for this answer, or a comment line saying why it could not.
   */
  public record NetpolState(
      String node, boolean agentConnected, int policies, int localPods, AppliedRuleset applied)
      implements CborSerializable {}

  /** The node's port ledger and cloud-node state, as the Management route shows them. */
  public record Ledger(
      String node, boolean agentConnected, String cloudNode, List<Held> held, List<Waiting> waiting)
      implements CborSerializable {}

  /** port → holder. */
  public record Held(String port, String holderKind, String holder) implements CborSerializable {}

  /** A Service refused here, and why. */
  public record Waiting(String service, List<Conflict> conflicts) implements CborSerializable {}

  /** How long a reader of the node's ruleset waits for the agent to show it. */
  static final Duration SHOW_TIMEOUT = Duration.ofSeconds(3);

  public static Behavior<Command> create(String node, NodeParts parts) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  NodeActor a = new NodeActor(ctx, node, parts);
                  Duration every = a.netpol.tickEvery();
                  if (every != null) timers.startTimerWithFixedDelay(new NetpolTick(), every);
                  return a;
                }));
  }

  private final String node;
  private final NodeParts.Ports ports;
  private final NodeParts.Cloud cloud;
  private final NodeParts.Netpol netpol;
  private final Duration cloudRetryBackoff;
  private final AgentGate gate;
  private final Function<String, Optional<NodeInfo>> cachedNode;
  private ActorRef<AgentProtocol.Command> agent;
  private final AgentOutbox outbox = new AgentOutbox(System::nanoTime);
  private long agentGeneration;
  // the agent's snapshot waits until the NetworkPolicy part knows everything
  private boolean snapshotOwed;
  private boolean portsRecheckScheduled;
  // the Node's spec.podCIDRs for the agent; null until the Node is known
  private List<String> podCidrs;
  // readers of the ruleset waiting for the agent to show it, and which question they wait on
  private final List<ActorRef<NetpolState>> readers = new ArrayList<>();
  private long showSeq;

  private NodeActor(ActorContext<Command> ctx, String node, NodeParts parts) {
    super(ctx);
    this.node = node;
    this.cloudRetryBackoff = parts.cloudRetryBackoff();
    this.gate = new AgentGate(node, parts.agents(), ctx.getLog());
    this.cachedNode = parts.agents().cached();
    this.ports = parts.ports().create(node);
    this.netpol = parts.netpol().create(node, this::toAgent);
    this.cloud =
        parts
            .cloud()
            .create(
                node,
                ctx.getLog(),
                (stage, removesTaint) ->
                    ctx.pipeToSelf(
                        stage,
                        (ok, err) ->
                            new CloudWritten(
                                err == null ? null : Errors.rootMessage(err), removesTaint)));
    schedulePortsRecheck();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            ClaimPorts.class,
            m -> onPorts(() -> ports.claim(m.serviceKey(), m.creationTimestamp(), m.ports())))
        .onMessage(ReleasePorts.class, m -> onPorts(() -> ports.release(m.serviceKey())))
        .onMessage(PodPorts.class, m -> onPorts(() -> ports.podPorts(m.podKey(), m.ports())))
        .onMessage(GetLedger.class, this::onGetLedger)
        .onMessage(RecheckPorts.class, this::onRecheckPorts)
        .onMessage(RegisterAgent.class, this::onRegisterAgent)
        .onMessage(NodeObserved.class, this::onNodeObserved)
        .onMessage(CloudWritten.class, this::onCloudWritten)
        .onMessage(RetryCloud.class, m -> then(cloud::retry))
        .onMessage(
            PolicyFragment.class,
            m ->
                netpolThen(
                    () ->
                        netpol.fragment(m.policyKey(), m.generation(), m.policy(), m.sentMicros())))
        .onMessage(LocalPod.class, m -> then(() -> netpol.pod(m.podKey(), m.pod())))
        .onMessage(NetpolApplied.class, m -> netpolThen(() -> netpol.applied(m.report())))
        .onMessage(NetpolTick.class, m -> netpolThen(netpol::tick))
        .onMessage(RecheckPolicies.class, m -> netpolThen(netpol::recheck))
        .onMessage(FlushAgent.class, m -> onFlushAgent())
        .onMessage(GetNetpol.class, this::onGetNetpol)
        .onMessage(AgentProtocol.RulesetText.class, m -> answerReaders(m.text()))
        .onMessage(ShowTimedOut.class, this::onShowTimedOut)
        .onSignal(Terminated.class, this::onAgentGone)
        .onSignal(PostStop.class, s -> then(ports::stopped))
        .build();
  }

  /** Runs a part's step; the behaviour stays the same. */
  private Behavior<Command> then(Runnable step) {
    step.run();
    return this;
  }

  /** A NetworkPolicy step that may complete the part: an owed snapshot goes out then. */
  private Behavior<Command> netpolThen(Runnable step) {
    step.run();
    if (snapshotOwed && agent != null && netpol.complete()) snapshot();
    return this;
  }

  private void snapshot() {
    snapshotOwed = false;
    netpol.resend();
    toAgent(new AgentProtocol.SnapshotDone(agentGeneration));
  }

  /** A step of the port ledger; it may ask to be rechecked later. */
  private Behavior<Command> onPorts(Runnable step) {
    step.run();
    ports.report();
    schedulePortsRecheck();
    return this;
  }

  private Behavior<Command> onRecheckPorts(RecheckPorts m) {
    portsRecheckScheduled = false;
    return onPorts(ports::recheck);
  }

  private void schedulePortsRecheck() {
    Duration in = ports.recheckIn();
    if (in == null || portsRecheckScheduled) return;
    portsRecheckScheduled = true;
    getContext().scheduleOnce(in, getContext().getSelf(), new RecheckPorts());
  }

  private Behavior<Command> onGetLedger(GetLedger m) {
    m.replyTo()
        .tell(new Ledger(node, agent != null, cloud.status(), ports.held(), ports.waiting()));
    return this;
  }

  // The ruleset text is not kept here (it was most of this actor's memory): the agent shows it
  // when someone asks. Before its first report there is nothing applied to show. The agent answers
  // this actor itself, not a temporary ask reference: the text can be larger than Artery's
  // ordinary frame, and messages to NodeActors take the large-message lane.
  private Behavior<Command> onGetNetpol(GetNetpol m) {
    if (netpol.lastApplied() == null || agent == null) {
      m.replyTo().tell(state(agent == null ? "# " + node + ": no agent registered\n" : ""));
      return this;
    }
    readers.add(m.replyTo());
    if (readers.size() == 1) {
      agent.tell(new AgentProtocol.ShowRuleset(getContext().getSelf().narrow()));
      getContext().scheduleOnce(SHOW_TIMEOUT, getContext().getSelf(), new ShowTimedOut(++showSeq));
    }
    return this;
  }

  private Behavior<Command> onShowTimedOut(ShowTimedOut m) {
    if (m.seq() != showSeq) return this; // answered in time
    return answerReaders(
        "# the agent of " + node + " did not answer within " + SHOW_TIMEOUT.toSeconds() + " s\n");
  }

  // An answer that comes late, after the readers had the timeout, finds none and is dropped.
  private Behavior<Command> answerReaders(String text) {
    showSeq++; // the pending timeout no longer applies
    NetpolState state = state(text);
    readers.forEach(r -> r.tell(state));
    readers.clear();
    return this;
  }

  private NetpolState state(String text) {
    AppliedRuleset applied = netpol.lastApplied();
    return new NetpolState(
        node,
        agent != null,
        netpol.policies(),
        netpol.localPods(),
        applied == null ? null : applied.withRuleset(text));
  }

  private Behavior<Command> onNodeObserved(NodeObserved m) {
    gate.observed(m.node());
    cloud.observed(m.node());
    // e.g. the node IPAM controller assigned them after the agent registered
    List<String> before = podCidrs == null ? List.of() : podCidrs;
    podCidrs = m.node().podCidrs();
    if (!podCidrs.equals(before)) toAgent(new AgentProtocol.PodCidrs(podCidrs));
    return this;
  }

  private Behavior<Command> onRegisterAgent(RegisterAgent m) {
    if (!gate.believes(m.agent())) return this;
    boolean fresh = !m.agent().equals(agent);
    if (fresh) {
      if (agent != null) getContext().unwatch(agent);
      outbox.clear(); // the new agent gets it all in its snapshot
      agent = m.agent();
      agentGeneration++;
      getContext().watch(agent);
      getContext().getLog().info("agent of node {} registered ({})", node, agent.path());
    }
    toAgent(new AgentProtocol.Registered(node, agentGeneration, fresh));
    // A new agent (or a restarted one) gets everything, with its end marked: until then it leaves
    // the node's rules as they are. One that only re-registered has it all. The end is marked only
    // once the NetworkPolicy part knows everything (after a rebuild it may still be gathering).
    if (fresh) {
      if (podCidrs == null) {
        // started after the Node was last observed (e.g. rebuilt on another member)
        podCidrs = cachedNode.apply(node).map(NodeInfo::podCidrs).orElse(null);
      }
      if (podCidrs != null && !podCidrs.isEmpty()) toAgent(new AgentProtocol.PodCidrs(podCidrs));
      snapshotOwed = true;
      if (netpol.complete()) snapshot();
    }
    cloud.agent(m.identity());
    return this;
  }

  private void toAgent(AgentProtocol.Command message) {
    if (agent != null && outbox.offer(message, agent::tell)) {
      getContext()
          .scheduleOnce(
              Duration.ofNanos(AgentOutbox.WINDOW_NANOS), getContext().getSelf(), new FlushAgent());
    }
  }

  private Behavior<Command> onFlushAgent() {
    if (agent != null) outbox.flush(agent::tell);
    else outbox.clear();
    return this;
  }

  private Behavior<Command> onCloudWritten(CloudWritten m) {
    cloud.written(m.error(), m.removedTaint());
    if (m.error() != null) {
      getContext().scheduleOnce(cloudRetryBackoff, getContext().getSelf(), new RetryCloud());
    }
    return this;
  }

  private Behavior<Command> onAgentGone(Terminated t) {
    if (t.getRef().equals(agent)) {
      getContext().getLog().warn("agent of node {} is gone", node);
      agent = null;
      outbox.clear();
    }
    return this;
  }
}
