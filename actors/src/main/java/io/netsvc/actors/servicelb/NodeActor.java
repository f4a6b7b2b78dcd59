package io.netsvc.actors.servicelb;

import io.netsvc.actors.ccm.AgentIdentity;
import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.servicelb.model.PortLedger;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One node: owns the node's host-port ledger (one writer per fact), so two LoadBalancer Services
 * are never granted the same port on the same node. Grants are all-or-nothing per Service, first
 * come first served by creation time; ordinary pods with hostPort always keep theirs. It also runs
 * the cloud-controller stub for its node ({@link CloudNodeKeeper}) and supervises the node's agent.
 */
public final class NodeActor extends AbstractBehavior<NodeActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "ServiceLbNode");

  /** Messages of a NodeActor. */
  public sealed interface Command extends CborSerializable
      permits ClaimPorts,
          ReleasePorts,
          PodPorts,
          GetLedger,
          RegisterAgent,
          NodeObserved,
          CloudWritten,
          RetryCloud,
          PolicyFragment,
          LocalPod,
          NetpolApplied,
          GetNetpol {}

  /** A Service wants these ports on this node; the answer goes to its ServiceActor. */
  public record ClaimPorts(String serviceKey, String creationTimestamp, Set<PortKey> ports)
      implements Command {}

  /** The Service no longer wants any port here. */
  public record ReleasePorts(String serviceKey) implements Command {}

  /** An ordinary pod on this node holds these host ports (empty: it is gone). */
  public record PodPorts(String podKey, Set<PortKey> ports) implements Command {}

  /** Reply with the ledger. */
  public record GetLedger(ActorRef<Ledger> replyTo) implements Command {}

  /** The node's agent (re)started, with the addresses it advertises. */
  public record RegisterAgent(ActorRef<AgentProtocol.Command> agent, AgentIdentity identity)
      implements Command {}

  /** The Node as the watch shows it now. */
  public record NodeObserved(NodeInfo node) implements Command {}

  /** A cloud-node write ended ({@code error} null on success). */
  public record CloudWritten(String error, boolean removedTaint) implements Command {}

  /** Time to retry a failed cloud-node write. */
  public record RetryCloud() implements Command {}

  /** A NetworkPolicy's fragment for this node, or its removal ({@code policy} null). */
  public record PolicyFragment(String policyKey, long generation, CompiledPolicy policy)
      implements Command {}

  /** A pod on this node changed, or is gone ({@code pod} null). */
  public record LocalPod(String podKey, NetpolPod pod) implements Command {}

  /** The agent applied its ruleset. */
  public record NetpolApplied(NodeNetpol.Applied report) implements Command {}

  /** Reply with the node's NetworkPolicy state. */
  public record GetNetpol(ActorRef<NetpolState> replyTo) implements Command {}

  /** The node's NetworkPolicy state, as the Management route shows it. */
  public record NetpolState(
      String node, boolean agentConnected, int policies, int localPods, NodeNetpol.Applied applied)
      implements CborSerializable {}

  /**
   * What a NodeActor needs besides sharding: the cloud-node writer (null where no Kubernetes client
   * is) and whether the cloud-controller stub runs.
   */
  public record Deps(CloudNodeApi cloudApi, boolean cloudEnabled, Duration retryBackoff) {}

  /** The node's port ledger and cloud-node state, as the Management route shows them. */
  public record Ledger(
      String node, boolean agentConnected, String cloudNode, List<Held> held, List<Waiting> waiting)
      implements CborSerializable {}

  /** port → holder. */
  public record Held(String port, String holderKind, String holder) implements CborSerializable {}

  /** A Service refused here, and why. */
  public record Waiting(String service, List<Conflict> conflicts) implements CborSerializable {}

  public static Behavior<Command> create(String node, ClusterSharding sharding, Deps deps) {
    return Behaviors.setup(ctx -> new NodeActor(ctx, node, sharding, deps));
  }

  private final String node;
  private final ClusterSharding sharding;
  private final Deps deps;
  private final PortLedger ledger = new PortLedger();
  private final CloudNodeKeeper cloud;
  private final NodeNetpol netpol;
  private ActorRef<AgentProtocol.Command> agent;
  private long agentGeneration;

  private NodeActor(ActorContext<Command> ctx, String node, ClusterSharding sharding, Deps deps) {
    super(ctx);
    this.node = node;
    this.sharding = sharding;
    this.deps = deps;
    this.netpol = new NodeNetpol(node, sharding);
    this.cloud =
        new CloudNodeKeeper(
            node,
            deps.cloudApi(),
            deps.cloudEnabled(),
            ctx.getLog(),
            (stage, removesTaint) ->
                ctx.pipeToSelf(
                    stage,
                    (ok, err) ->
                        new CloudWritten(
                            err == null ? null : String.valueOf(rootMessage(err)), removesTaint)));
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClaimPorts.class, this::onClaim)
        .onMessage(ReleasePorts.class, m -> tellAll(ledger.release(m.serviceKey())))
        .onMessage(PodPorts.class, m -> tellAll(ledger.podPorts(m.podKey(), m.ports())))
        .onMessage(GetLedger.class, this::onGetLedger)
        .onMessage(RegisterAgent.class, this::onRegisterAgent)
        .onMessage(NodeObserved.class, this::onNodeObserved)
        .onMessage(CloudWritten.class, this::onCloudWritten)
        .onMessage(
            RetryCloud.class,
            m -> {
              cloud.retry();
              return this;
            })
        .onMessage(
            PolicyFragment.class,
            m -> {
              netpol.fragment(m.policyKey(), m.generation(), m.policy(), this::toAgent);
              return this;
            })
        .onMessage(
            LocalPod.class,
            m -> {
              netpol.pod(m.podKey(), m.pod(), this::toAgent);
              return this;
            })
        .onMessage(
            NetpolApplied.class,
            m -> {
              netpol.applied(m.report());
              return this;
            })
        .onMessage(GetNetpol.class, this::onGetNetpol)
        .onSignal(Terminated.class, this::onAgentGone)
        .build();
  }

  private Behavior<Command> onClaim(ClaimPorts m) {
    List<Decision> changed = ledger.claim(m.serviceKey(), m.creationTimestamp(), m.ports());
    // A repeated claim changes nothing in the ledger, but the claimant may have lost our answer
    // (it was restarted or moved), so it always hears its current decision.
    if (changed.stream().noneMatch(d -> d.serviceKey().equals(m.serviceKey()))) {
      ledger.decision(m.serviceKey()).ifPresent(this::tell);
    }
    return tellAll(changed);
  }

  private Behavior<Command> tellAll(List<Decision> decisions) {
    decisions.forEach(this::tell);
    return this;
  }

  private void tell(Decision d) {
    sharding
        .entityRefFor(ServiceActor.TYPE_KEY, d.serviceKey())
        .tell(new ServiceActor.PortDecision(node, d.granted(), conflictsOf(d)));
  }

  private List<Conflict> conflictsOf(Decision d) {
    return d.conflicts().stream()
        .map(c -> new Conflict(node, c.port().toString(), kindName(c.holder()), c.holder().key()))
        .toList();
  }

  private static String kindName(PortLedger.Holder h) {
    return h.kind() == PortLedger.Kind.POD ? "Pod" : "Service";
  }

  private Behavior<Command> onGetLedger(GetLedger m) {
    List<Held> held = new ArrayList<>();
    ledger.holders().forEach((k, h) -> held.add(new Held(k.toString(), kindName(h), h.key())));
    List<Waiting> waiting = new ArrayList<>();
    for (String svc : ledger.claimants()) {
      ledger
          .decision(svc)
          .filter(d -> !d.granted())
          .ifPresent(d -> waiting.add(new Waiting(svc, conflictsOf(d))));
    }
    m.replyTo().tell(new Ledger(node, agent != null, cloud.status(), held, waiting));
    return this;
  }

  private Behavior<Command> onRegisterAgent(RegisterAgent m) {
    boolean fresh = !m.agent().equals(agent);
    if (fresh) {
      if (agent != null) getContext().unwatch(agent);
      agent = m.agent();
      agentGeneration++;
      getContext().watch(agent);
      getContext().getLog().info("agent of node {} registered ({})", node, agent.path());
    }
    agent.tell(new AgentProtocol.Registered(node, agentGeneration));
    if (fresh) netpol.resend(agent);
    cloud.agent(m.identity());
    return this;
  }

  private void toAgent(AgentProtocol.Command message) {
    if (agent != null) agent.tell(message);
  }

  private Behavior<Command> onGetNetpol(GetNetpol m) {
    m.replyTo()
        .tell(
            new NetpolState(
                node, agent != null, netpol.policies(), netpol.localPods(), netpol.lastApplied()));
    return this;
  }

  private Behavior<Command> onNodeObserved(NodeObserved m) {
    cloud.observed(m.node());
    return this;
  }

  private Behavior<Command> onCloudWritten(CloudWritten m) {
    cloud.written(m.error(), m.removedTaint());
    if (m.error() != null) {
      getContext().scheduleOnce(deps.retryBackoff(), getContext().getSelf(), new RetryCloud());
    }
    return this;
  }

  private Behavior<Command> onAgentGone(Terminated t) {
    if (t.getRef().equals(agent)) {
      getContext().getLog().warn("agent of node {} is gone", node);
      agent = null;
    }
    return this;
  }
}
