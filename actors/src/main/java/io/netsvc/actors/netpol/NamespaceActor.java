package io.netsvc.actors.netpol;

import io.netsvc.actors.Subscribers;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One namespace: its labels and its pods. NetworkPolicyActors that need the namespace subscribe;
 * they get the whole namespace once and then every change, so a policy never lists pods itself.
 */
public final class NamespaceActor extends AbstractBehavior<NamespaceActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "NetpolNamespace");

  /** Messages of a NamespaceActor. */
  public sealed interface Command extends CborSerializable
      permits Labels, Pod, PodGone, Subscribe, Unsubscribe {}

  /** The Namespace changed (null labels: it is gone). */
  public record Labels(NamespaceInfo namespace) implements Command {}

  /** A pod of this namespace changed. */
  public record Pod(NetpolPod pod) implements Command {}

  /** A pod of this namespace is gone. */
  public record PodGone(String name) implements Command {}

  /** A policy wants this namespace. */
  public record Subscribe(String policyKey) implements Command {}

  /** A policy no longer wants it. */
  public record Unsubscribe(String policyKey) implements Command {}

  public static Behavior<Command> create(String namespace, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new NamespaceActor(ctx, namespace, sharding));
  }

  private final String namespace;
  private final Subscribers<NetworkPolicyActor.Command> subscribers;
  private final Map<String, NetpolPod> pods = new HashMap<>();
  private NamespaceInfo info;

  private NamespaceActor(ActorContext<Command> ctx, String namespace, ClusterSharding sharding) {
    super(ctx);
    this.namespace = namespace;
    this.subscribers = new Subscribers<>(sharding, NetworkPolicyActor.TYPE_KEY);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Labels.class, this::onLabels)
        .onMessage(Pod.class, this::onPod)
        .onMessage(PodGone.class, this::onPodGone)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, m -> unsubscribe(m.policyKey()))
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
    subscribers.add(
        m.policyKey(),
        new NetworkPolicyActor.NamespaceSnapshot(namespace, info, List.copyOf(pods.values())));
    return this;
  }

  private Behavior<Command> unsubscribe(String key) {
    subscribers.remove(key);
    return this;
  }
}
