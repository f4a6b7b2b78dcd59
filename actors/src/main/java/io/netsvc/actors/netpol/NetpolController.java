package io.netsvc.actors.netpol;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.k8s.NetpolEvents;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
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

  /** Messages of the controller; all local except {@link Stop}. */
  public sealed interface Command extends CborSerializable
      permits Ns, NsGone, Pod, PodGone, Policy, PolicyGone, Started, Restart, Stop {}

  record Ns(NamespaceInfo ns) implements Command {}

  record NsGone(NamespaceInfo ns) implements Command {}

  record Pod(NetpolPod pod) implements Command {}

  record PodGone(NetpolPod pod) implements Command {}

  record Policy(NetworkPolicyInfo policy) implements Command {}

  record PolicyGone(NetworkPolicyInfo policy) implements Command {}

  record Started(AutoCloseable handle, String error) implements Command {}

  record Restart() implements Command {}

  /** Stops the watches (the singleton's stop message). */
  public record Stop() implements Command {}

  public static Behavior<Command> create(NetpolSource source, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new NetpolController(ctx, source, sharding));
  }

  private final NetpolSource source;
  private final ClusterSharding sharding;
  private final Set<String> namespaces = new TreeSet<>();
  private final Set<String> policies = new HashSet<>();
  private final Map<String, String> podNodes = new HashMap<>();
  private AutoCloseable watch;

  private NetpolController(
      ActorContext<Command> ctx, NetpolSource source, ClusterSharding sharding) {
    super(ctx);
    this.source = source;
    this.sharding = sharding;
    start();
  }

  private void start() {
    ActorRef<Command> self = getContext().getSelf();
    NetpolEvents sink =
        new NetpolEvents() {
          @Override
          public void namespaceChanged(NamespaceInfo n) {
            self.tell(new Ns(n));
          }

          @Override
          public void namespaceDeleted(NamespaceInfo n) {
            self.tell(new NsGone(n));
          }

          @Override
          public void podChanged(NetpolPod p) {
            self.tell(new Pod(p));
          }

          @Override
          public void podDeleted(NetpolPod p) {
            self.tell(new PodGone(p));
          }

          @Override
          public void policyChanged(NetworkPolicyInfo p) {
            self.tell(new Policy(p));
          }

          @Override
          public void policyDeleted(NetworkPolicyInfo p) {
            self.tell(new PolicyGone(p));
          }
        };
    getContext()
        .pipeToSelf(
            source.start(sink), (h, err) -> new Started(h, err == null ? null : err.toString()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ns.class, m -> namespace(m.ns(), false))
        .onMessage(NsGone.class, m -> namespace(m.ns(), true))
        .onMessage(Pod.class, m -> pod(m.pod(), false))
        .onMessage(PodGone.class, m -> pod(m.pod(), true))
        .onMessage(Policy.class, m -> policy(m.policy(), false))
        .onMessage(PolicyGone.class, m -> policy(m.policy(), true))
        .onMessage(Started.class, this::onStarted)
        .onMessage(
            Restart.class,
            m -> {
              start();
              return this;
            })
        .onMessage(Stop.class, m -> stop())
        .build();
  }

  private Behavior<Command> onStarted(Started m) {
    if (m.error() == null) {
      watch = m.handle();
      getContext().getLog().info("netpol: watches started ({} policies)", policies.size());
    } else {
      getContext().getLog().warn("netpol: watches failed to start, retrying: {}", m.error());
      getContext().scheduleOnce(Duration.ofSeconds(2), getContext().getSelf(), new Restart());
    }
    return this;
  }

  private Behavior<Command> namespace(NamespaceInfo ns, boolean gone) {
    sharding
        .entityRefFor(NamespaceActor.TYPE_KEY, ns.name())
        .tell(new NamespaceActor.Labels(gone ? null : ns));
    boolean changed = gone ? namespaces.remove(ns.name()) : namespaces.add(ns.name());
    if (changed) {
      Set<String> all = Set.copyOf(namespaces);
      policies.forEach(p -> policyRef(p).tell(new NetworkPolicyActor.Namespaces(all)));
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
      ref.tell(new NetworkPolicyActor.PolicyDeleted());
    } else {
      if (policies.add(p.key())) {
        ref.tell(new NetworkPolicyActor.Namespaces(Set.copyOf(namespaces)));
      }
      ref.tell(new NetworkPolicyActor.PolicyChanged(p));
    }
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

  private Behavior<Command> stop() {
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        getContext().getLog().debug("closing the netpol watches", e);
      }
    }
    return Behaviors.stopped();
  }
}
