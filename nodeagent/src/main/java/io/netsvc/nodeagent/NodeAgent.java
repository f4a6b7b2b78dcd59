package io.netsvc.nodeagent;

import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.nodeagent.netpol.IptablesActor;
import io.netsvc.nodeagent.netpol.NetpolSetup;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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

  /**
   * Registers now and every {@code interval}, so a rebuilt NodeActor learns about us.
   *
   * @param netpol null when NetworkPolicies are not enforced here
   */
  public static Behavior<AgentProtocol.Command> create(
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
                                      netpol.metrics()),
                                  "iptables");
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
                              AgentProtocol.Fragment.class,
                              m -> forward(iptables, new IptablesActor.PolicyInput(m)))
                          .onMessage(
                              AgentProtocol.LocalPod.class,
                              m -> forward(iptables, new IptablesActor.PodInput(m)))
                          .onMessage(
                              AgentProtocol.SnapshotDone.class,
                              m ->
                                  forward(iptables, new IptablesActor.SnapshotEnds(m.generation())))
                          .build();
                    }))
        .narrow();
  }

  // Without NetworkPolicy enforcement on this node there is no IptablesActor and nothing to apply.
  private static Behavior<Object> forward(
      ActorRef<IptablesActor.Command> iptables, IptablesActor.Command m) {
    if (iptables != null) iptables.tell(m);
    return Behaviors.same();
  }
}
