package io.netsvc.actors.netpol;

import io.netsvc.actors.Known;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.watch.WatchKeeper;
import io.netsvc.k8s.NetpolWatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Cluster singleton (controller role) of the NetworkPolicy controller: the watches on Namespaces,
 * Pods and NetworkPolicies, routed to the entities — namespaces and pods to their NamespaceActor,
 * pods also to the NodeActor of their node (the agent's local pods), policies to their
 * NetworkPolicyActor, and the set of namespace names to every policy (for namespace selectors).
 */
public final class NetpolController extends AbstractBehavior<NetpolController.Command> {

  /** Messages of the controller; all local except {@link Stop} and {@link IsKnown}. */
  public sealed interface Command extends CborSerializable
      permits Ns, Pod, Policy, Resync, Recheck, IsKnown, Stop {}

  /** A namespace changed, or is gone (then {@code ns} is its last known state). */
  record Ns(NamespaceInfo ns, boolean gone) implements Command {}

  record Pod(NetpolPod pod, boolean gone) implements Command {}

  record Policy(NetworkPolicyInfo policy, boolean gone) implements Command {}

  /**
   * Every policy hears its current state again, so one whose actor stopped or was lost with a
   * member is started (and rebuilds from the caches) even if nothing about it changes.
   */
  record Resync() implements Command {}

  /**
   * Something may have been missed: a member left the cluster (the entities it hosted start
   * elsewhere only when a message reaches them, and what was sent to them between its crash and its
   * removal is lost), or this controller has just started and listed (a policy deleted while no
   * controller ran, e.g. while the fence was lost in an API outage, was never routed). Every policy
   * hears its state again, and every node with pods rechecks what it holds; a policy gone from the
   * caches then removes itself from its nodes.
   */
  public record Recheck() implements Command {}

  /** Whether the NetworkPolicy {@code name} (ns/name) exists: for the Management routes. */
  public record IsKnown(String name, ActorRef<Known> replyTo) implements Command {}

  /** Stops the controller and its watches (the singleton's stop message). */
  public record Stop() implements Command {}

  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

  public static Behavior<Command> create(
      WatchSource<NetpolWatchHandler> source, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new NetpolController(ctx, source, sharding));
  }

  /** With a level-triggered pass over every policy each {@code resyncEvery}. */
  public static Behavior<Command> create(
      WatchSource<NetpolWatchHandler> source, ClusterSharding sharding, Duration resyncEvery) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                t -> {
                  t.startTimerWithFixedDelay(new Resync(), resyncEvery);
                  return new NetpolController(ctx, source, sharding);
                }));
  }

  private final ClusterSharding sharding;
  private final Set<String> namespaces = new TreeSet<>();
  private final Map<String, NetworkPolicyInfo> policies = new HashMap<>();
  private final Map<String, String> podNodes = new HashMap<>();

  private NetpolController(
      ActorContext<Command> ctx, WatchSource<NetpolWatchHandler> source, ClusterSharding sharding) {
    super(ctx);
    this.sharding = sharding;
    ActorRef<Command> self = ctx.getSelf();
    var handler =
        new NetpolWatchHandler(
            (n, gone) -> self.tell(new Ns(n, gone)),
            (p, gone) -> self.tell(new Pod(p, gone)),
            (p, gone) -> self.tell(new Policy(p, gone)));
    ctx.spawn(
        WatchKeeper.create(
            "netpol", () -> source.register(handler), ctx.getSelf(), new Recheck(), RETRY_BACKOFF),
        "watch");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ns.class, m -> namespace(m.ns(), m.gone()))
        .onMessage(Pod.class, m -> pod(m.pod(), m.gone()))
        .onMessage(Policy.class, m -> policy(m.policy(), m.gone()))
        .onMessage(Resync.class, m -> resync())
        .onMessage(Recheck.class, m -> recheck())
        .onMessage(
            IsKnown.class,
            m -> {
              m.replyTo().tell(new Known(m.name(), policies.containsKey(m.name())));
              return this;
            })
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> namespace(NamespaceInfo ns, boolean gone) {
    sharding
        .entityRefFor(NamespaceActor.TYPE_KEY, ns.name())
        .tell(new NamespaceActor.Labels(gone ? null : ns));
    boolean changed = gone ? namespaces.remove(ns.name()) : namespaces.add(ns.name());
    if (changed) {
      Set<String> all = Set.copyOf(namespaces);
      policies.keySet().forEach(p -> policyRef(p).tell(new NetworkPolicyActor.Namespaces(all)));
    }
    return this;
  }

  private Behavior<Command> pod(NetpolPod p, boolean gone) {
    var ns = sharding.entityRefFor(NamespaceActor.TYPE_KEY, p.namespace());
    ns.tell(gone ? new NamespaceActor.PodGone(p.name()) : new NamespaceActor.Pod(p));
    String before = gone ? podNodes.remove(p.key()) : podNodes.put(p.key(), p.nodeName());
    if (before != null && !before.equals(p.nodeName())) {
      node(before).tell(new NodeActor.LocalPod(p.key(), null));
    }
    if (p.nodeName() != null) {
      node(p.nodeName()).tell(new NodeActor.LocalPod(p.key(), gone ? null : p));
    }
    return this;
  }

  private Behavior<Command> policy(NetworkPolicyInfo p, boolean gone) {
    var ref = policyRef(p.key());
    if (gone) {
      policies.remove(p.key());
      ref.tell(new NetworkPolicyActor.PolicyDeleted(p));
    } else {
      if (policies.put(p.key(), p) == null) {
        ref.tell(new NetworkPolicyActor.Namespaces(Set.copyOf(namespaces)));
      }
      ref.tell(new NetworkPolicyActor.PolicyChanged(p));
    }
    return this;
  }

  private Behavior<Command> resync() {
    policies.forEach((key, p) -> policyRef(key).tell(new NetworkPolicyActor.PolicyChanged(p)));
    return this;
  }

  private Behavior<Command> recheck() {
    resync();
    podNodes.values().stream()
        .filter(n -> n != null)
        .distinct()
        .forEach(n -> node(n).tell(new NodeActor.RecheckPolicies()));
    return this;
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NetworkPolicyActor.Command>
      policyRef(String key) {
    return sharding.entityRefFor(NetworkPolicyActor.TYPE_KEY, key);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NodeActor.Command> node(
      String n) {
    return sharding.entityRefFor(NodeActor.TYPE_KEY, n);
  }
}
