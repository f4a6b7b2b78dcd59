package io.netsvc.nodeagent;

import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.SendClock;
import io.netsvc.nodeagent.netpol.IptablesActor;
import io.netsvc.nodeagent.netpol.NetpolSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The agent of one node (role "node"): registers with its node's NodeActor, which supervises it
 * (watches it and re-sends its state whenever it re-registers), and tells it the addresses the node
 * advertises ({@code --node-ip} and friends): the NodeActor keeps the K3s address annotations on
 * the Node from them, so an agent needs no Kubernetes credentials. With NetworkPolicy enforcement
 * on, its child {@link IptablesActor} programs the node from the fragments the NodeActor sends; it
 * waits for the NodeActor's complete snapshot first, so a restarted agent keeps the node's rules
 * enforced meanwhile, and an unreachable NodeActor never makes it clear anything.
 */
public final class NodeAgent {
  private NodeAgent() {}

  // The agent's own timer message: not part of AgentProtocol (which only a NodeActor sends), so the
  // behaviour takes both and is narrowed to the protocol for everyone else.
  private record Tick() {}

  /** The first delay before a failed agent starts again; doubles up to {@link #RESTART_MAX}. */
  static final Duration RESTART_MIN = Duration.ofSeconds(1);

  static final Duration RESTART_MAX = Duration.ofSeconds(10);

  private record Respawn() {}

  static final String NOT_ENFORCED = "# NetworkPolicies are not enforced on this node\n";

  /**
   * Registers now and every {@code interval}, so a rebuilt NodeActor learns about us.
   *
   * <p>Failure policy: when the agent or its {@link IptablesActor} throws, both stop and a new
   * agent (a child {@code session-N}) starts after a backoff (1 s doubling to 10 s). A new actor,
   * not a restart in place: the NodeActor sends a full snapshot only to an agent it does not know,
   * and the IptablesActor must not apply anything until it holds one; meanwhile the kernel keeps
   * the node's rules as they were.
   *
   * @param netpol null when NetworkPolicies are not enforced here
   */
  public static Behavior<AgentProtocol.Command> create(
      String node,
      AgentIdentity identity,
      ClusterSharding sharding,
      Duration interval,
      NetpolSetup netpol) {
    Behavior<AgentProtocol.Command> session = session(node, identity, sharding, interval, netpol);
    return Behaviors.<Object>setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> {
                      int[] sessions = {0};
                      Duration[] delay = {RESTART_MIN};
                      List<ActorRef<AgentProtocol.Command>> current = new ArrayList<>(1);
                      Runnable spawn =
                          () -> {
                            current.add(ctx.spawn(session, "session-" + ++sessions[0]));
                            ctx.watch(current.get(0));
                          };
                      spawn.run();
                      return Behaviors.receive(Object.class)
                          .onMessage(
                              Respawn.class,
                              r -> {
                                spawn.run();
                                return Behaviors.same();
                              })
                          .onMessage(
                              AgentProtocol.Command.class,
                              m -> {
                                // the NodeActor talks to the session it knows; this is for a
                                // sender that holds the agent's own address
                                current.forEach(s -> s.tell(m));
                                return Behaviors.same();
                              })
                          .onSignal(
                              Terminated.class,
                              t -> {
                                current.clear();
                                ctx.getLog()
                                    .warn(
                                        "node agent {} failed, starting again in {}",
                                        node,
                                        delay[0]);
                                timers.startSingleTimer(new Respawn(), delay[0]);
                                delay[0] =
                                    delay[0].multipliedBy(2).compareTo(RESTART_MAX) > 0
                                        ? RESTART_MAX
                                        : delay[0].multipliedBy(2);
                                return Behaviors.same();
                              })
                          .build();
                    }))
        .narrow();
  }

  // One incarnation of the agent: it stops with its IptablesActor (it watches it), so a failure of
  // either starts a fresh pair with a full snapshot.
  private static Behavior<AgentProtocol.Command> session(
      String node,
      AgentIdentity identity,
      ClusterSharding sharding,
      Duration interval,
      NetpolSetup netpol) {
    return Behaviors.<Object>setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> {
                      ActorRef<AgentProtocol.Command> self = ctx.getSelf().narrow();
                      ActorRef<IptablesActor.Command> iptables =
                          netpol == null
                              ? null
                              : ctx.spawn(
                                  IptablesActor.create(
                                      node,
                                      netpol.podCidrs(),
                                      netpol.dataplane(),
                                      netpol.blocking(),
                                      sharding,
                                      netpol.verifyEvery(),
                                      netpol.consistencyEvery(),
                                      netpol.metrics()),
                                  "iptables");
                      if (iptables != null) ctx.watch(iptables);
                      Runnable register =
                          () ->
                              sharding
                                  .entityRefFor(NodeActor.TYPE_KEY, node)
                                  .tell(new NodeActor.RegisterAgent(self, identity));
                      register.run();
                      timers.startTimerWithFixedDelay("register", new Tick(), interval);
                      long[] generation = {-1};
                      return Behaviors.receive(Object.class)
                          .onMessage(
                              Tick.class,
                              t -> {
                                register.run();
                                return Behaviors.same();
                              })
                          .onMessage(
                              AgentProtocol.Registered.class,
                              r -> {
                                if (r.generation() != generation[0]) {
                                  ctx.getLog()
                                      .info(
                                          "node agent {} registered (generation {})",
                                          node,
                                          r.generation());
                                  generation[0] = r.generation();
                                }
                                return r.snapshot()
                                    ? forward(
                                        iptables, new IptablesActor.SnapshotBegins(r.generation()))
                                    : Behaviors.same();
                              })
                          .onMessage(
                              AgentProtocol.PodCidrs.class,
                              m -> forward(iptables, new IptablesActor.PodCidrsInput(m)))
                          .onMessage(
                              AgentProtocol.Fragment.class,
                              m -> {
                                timeSend(netpol, node, m);
                                return forward(iptables, new IptablesActor.PolicyInput(m));
                              })
                          .onMessage(
                              AgentProtocol.LocalPod.class,
                              m -> forward(iptables, new IptablesActor.PodInput(m)))
                          .onMessage(
                              AgentProtocol.Batch.class,
                              b -> {
                                for (AgentProtocol.Change c : b.changes()) {
                                  if (c.fragment() != null) {
                                    timeSend(netpol, node, c.fragment());
                                    forward(iptables, new IptablesActor.PolicyInput(c.fragment()));
                                  } else {
                                    forward(iptables, new IptablesActor.PodInput(c.pod()));
                                  }
                                }
                                return Behaviors.same();
                              })
                          .onMessage(
                              AgentProtocol.ShowRuleset.class,
                              m -> {
                                if (iptables != null)
                                  iptables.tell(new IptablesActor.Show(m.replyTo()));
                                else m.replyTo().tell(new AgentProtocol.RulesetText(NOT_ENFORCED));
                                return Behaviors.same();
                              })
                          .onMessage(
                              AgentProtocol.SnapshotDone.class,
                              m ->
                                  forward(iptables, new IptablesActor.SnapshotEnds(m.generation())))
                          .build();
                    }))
        .narrow();
  }

  // The send stage: from the policy's send to here. Only fresh sends are stamped (a snapshot or a
  // repair is not), and a time below zero is clocks that disagree, not a time.
  private static void timeSend(NetpolSetup netpol, String node, AgentProtocol.Fragment f) {
    if (netpol == null || f.sentMicros() <= 0) return;
    long micros = SendClock.micros() - f.sentMicros();
    if (micros >= 0) netpol.metrics().sent(node, micros);
  }

  // Without NetworkPolicy enforcement on this node there is no IptablesActor and nothing to apply.
  private static Behavior<Object> forward(
      ActorRef<IptablesActor.Command> iptables, IptablesActor.Command m) {
    if (iptables != null) iptables.tell(m);
    return Behaviors.same();
  }
}
