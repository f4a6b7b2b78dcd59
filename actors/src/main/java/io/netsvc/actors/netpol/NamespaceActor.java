package io.netsvc.actors.netpol;

import io.netsvc.actors.Subscribers;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One namespace: its labels and its pods. NetworkPolicyActors that need the namespace subscribe;
 * they get the whole namespace once and then every change, so a policy never lists pods itself. An
 * incarnation that starts (a restart, a move after a crash) reads the labels, the pods and which
 * policies read the namespace from the member's caches, and sends each of those policies the whole
 * namespace: the subscriptions survive, and events lost meanwhile are made good.
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
  private final Map<String, NetpolPod> pods = new HashMap<>();
  private final NetpolCache cache;
  private final TimerScheduler<Command> timers;
  private NamespaceInfo info;

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
  }

  private Behavior<Command> warm() {
    if (!cache.synced()) {
      timers.startSingleTimer("warm", new Warm(), WARM_RETRY);
      return this;
    }
    // what arrived before the caches listed is newer than they were when this began
    if (info == null) info = cache.namespace(namespace).orElse(null);
    cache.pods(namespace).forEach(p -> pods.putIfAbsent(p.name(), p));
    for (NetworkPolicyInfo p : cache.policies()) {
      if (p.namespace().equals(namespace) || NetpolNeeds.allNamespaces(p)) {
        subscribers.add(p.key(), snapshot());
      }
    }
    return this;
  }

  private NetworkPolicyActor.NamespaceSnapshot snapshot() {
    return new NetworkPolicyActor.NamespaceSnapshot(namespace, info, List.copyOf(pods.values()));
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
    if (m.namespace() != null && m.namespace().equals(info)) return this;
    info = m.namespace();
    subscribers.tellAll(new NetworkPolicyActor.NamespaceChanged(namespace, info));
    return this;
  }

  private Behavior<Command> onPod(Pod m) {
    NetpolPod before = pods.put(m.pod().name(), m.pod());
    if (!m.pod().equals(before)) subscribers.tellAll(new NetworkPolicyActor.PodChanged(m.pod()));
    return this;
  }

  private Behavior<Command> onPodGone(PodGone m) {
    if (pods.remove(m.name()) != null) {
      subscribers.tellAll(new NetworkPolicyActor.PodGone(namespace, m.name()));
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
