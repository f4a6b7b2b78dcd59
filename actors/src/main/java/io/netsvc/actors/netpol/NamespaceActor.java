package io.netsvc.actors.netpol;

import io.netsvc.actors.Subscribers;
import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.NamespaceView;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One namespace: its labels and its pods, as an immutable {@link NamespaceView} replaced at each
 * change. NetworkPolicyActors that need the namespace subscribe; they get the whole namespace once
 * and then every change, each with the view it makes, so the policies of a JVM share one view
 * rather than each keeping the pods, and a policy never lists pods itself. An incarnation that
 * starts (a restart, a move after a crash) reads the labels, the pods and which policies read the
 * namespace from the member's caches, and sends each of those policies the whole namespace: the
 * subscriptions survive, and events lost meanwhile are made good.
 */
public final class NamespaceActor extends AbstractBehavior<NamespaceActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "NetpolNamespace");

  /** Messages of a NamespaceActor. */
  public sealed interface Command extends CborSerializable
      permits Labels, Pod, PodGone, Subscribe, Resubscribe, Unsubscribe, Warm {}

  /** The Namespace changed (null labels: it is gone). */
  public record Labels(NamespaceInfo namespace) implements Command {}

  /** A pod of this namespace changed. */
  public record Pod(NetpolPod pod) implements Command {}

  /** A pod of this namespace is gone. */
  public record PodGone(String name) implements Command {}

  /** A policy wants this namespace. */
  public record Subscribe(String policyKey) implements Command {}

  /**
   * A subscribed policy's resync: a namespace that does not know it (rebuilt from caches that did
   * not have the policy yet) subscribes it and sends the whole namespace; one that does, nothing.
   */
  public record Resubscribe(String policyKey) implements Command {}

  /** A policy no longer wants it. */
  public record Unsubscribe(String policyKey) implements Command {}

  /** Read the member's caches again (they had not listed yet). */
  record Warm() implements Command {}

  static final Duration WARM_RETRY = Duration.ofMillis(500);

  /** Without caches: starts empty and waits for its messages. */
  public static Behavior<Command> create(String namespace, ClusterSharding sharding) {
    return create(namespace, sharding, NetpolCache.NONE);
  }

  public static Behavior<Command> create(
      String namespace, ClusterSharding sharding, NetpolCache cache) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  NamespaceActor a = new NamespaceActor(ctx, namespace, sharding, cache, timers);
                  if (cache != NetpolCache.NONE) a.warm();
                  return a;
                }));
  }

  private final String namespace;
  private final Subscribers<NetworkPolicyActor.Command> subscribers;
  private final NetpolCache cache;
  private final TimerScheduler<Command> timers;
  private NamespaceView view;

  private NamespaceActor(
      ActorContext<Command> ctx,
      String namespace,
      ClusterSharding sharding,
      NetpolCache cache,
      TimerScheduler<Command> timers) {
    super(ctx);
    this.namespace = namespace;
    this.subscribers = new Subscribers<>(sharding, NetworkPolicyActor.TYPE_KEY);
    this.cache = cache;
    this.timers = timers;
    // numbered from the start time, so a policy holding a predecessor's view sees a gap
    this.view = NamespaceView.empty(namespace, System.currentTimeMillis() << 16);
  }

  private Behavior<Command> warm() {
    if (!cache.synced()) {
      timers.startSingleTimer("warm", new Warm(), WARM_RETRY);
      return this;
    }
    // what arrived before the caches listed is newer than they were when this began
    if (view.info() == null) cache.namespace(namespace).ifPresent(i -> view = view.withInfo(i));
    for (NetpolPod p : cache.pods(namespace)) {
      if (view.pod(p.name()) == null) view = view.withPod(p);
    }
    for (NetworkPolicyInfo p : cache.policies()) {
      if (p.namespace().equals(namespace) || NetpolNeeds.allNamespaces(p)) {
        subscribers.add(p.key(), snapshot());
      }
    }
    return this;
  }

  private NetworkPolicyActor.NamespaceSnapshot snapshot() {
    return new NetworkPolicyActor.NamespaceSnapshot(view);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Labels.class, this::onLabels)
        .onMessage(Pod.class, this::onPod)
        .onMessage(PodGone.class, this::onPodGone)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Resubscribe.class, this::onResubscribe)
        .onMessage(Unsubscribe.class, m -> unsubscribe(m.policyKey()))
        .onMessage(Warm.class, m -> warm())
        .build();
  }

  private Behavior<Command> onLabels(Labels m) {
    if (m.namespace() != null && m.namespace().equals(view.info())) return this;
    view = view.withInfo(m.namespace());
    subscribers.tellAll(
        new NetworkPolicyActor.NamespaceChanged(namespace, view.info(), view.version(), view));
    return this;
  }

  private Behavior<Command> onPod(Pod m) {
    NetpolPod pod = ClusterView.canonical(m.pod()); // as the view keeps it
    if (pod.equals(view.pod(pod.name()))) return this; // a resync repeats what it knows
    view = view.withPod(pod);
    subscribers.tellAll(new NetworkPolicyActor.PodChanged(pod, view.version(), view));
    return this;
  }

  private Behavior<Command> onPodGone(PodGone m) {
    if (view.pod(m.name()) != null) {
      view = view.withoutPod(m.name());
      subscribers.tellAll(
          new NetworkPolicyActor.PodGone(namespace, m.name(), view.version(), view));
    }
    return this;
  }

  /** A new subscriber gets the whole namespace at once. */
  private Behavior<Command> onSubscribe(Subscribe m) {
    subscribers.add(m.policyKey(), snapshot());
    return this;
  }

  private Behavior<Command> onResubscribe(Resubscribe m) {
    if (!subscribers.keys().contains(m.policyKey())) {
      getContext()
          .getLog()
          .info("netpol: namespace {} did not know its subscriber {}", namespace, m.policyKey());
      subscribers.add(m.policyKey(), snapshot());
    }
    return this;
  }

  private Behavior<Command> unsubscribe(String key) {
    subscribers.remove(key);
    return this;
  }
}
