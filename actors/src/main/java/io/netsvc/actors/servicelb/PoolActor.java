package io.netsvc.actors.servicelb;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.netsvc.actors.Subscribers;
import io.netsvc.actors.servicelb.model.Eligibility;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.NodeInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One lbpool (entity id = the pool's name, {@link #DEFAULT} for Services without the label): which
 * nodes may serve its Services. Tells every subscribed ServiceActor when that changes, so a node
 * label flip re-places the load balancers at once (K3s only follows some of them).
 */
public final class PoolActor extends AbstractBehavior<PoolActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "ServiceLbPool");

  /** Entity id of the pool of Services without an lbpool label. */
  public static final String DEFAULT = "_default";

  /** Messages of a PoolActor. */
  public sealed interface Command extends CborSerializable
      permits NodesUpdated, Subscribe, Unsubscribe, GetPool {}

  /** The full node list, from the controller's Node watch. */
  public record NodesUpdated(List<NodeInfo> nodes) implements Command {}

  /** A ServiceActor wants the pool's members now and on every change. */
  public record Subscribe(String serviceKey) implements Command {}

  public record Unsubscribe(String serviceKey) implements Command {}

  public record GetPool(ActorRef<PoolView> replyTo) implements Command {}

  /** What the Management route shows of a pool. */
  public record PoolView(
      String pool, boolean allowListMode, List<String> nodes, List<String> services)
      implements CborSerializable {}

  private static final List<Toleration> TOLERATE_ALL =
      List.of(new TolerationBuilder().withOperator("Exists").build());

  public static String idFor(String poolLabel) {
    return poolLabel == null || poolLabel.isEmpty() ? DEFAULT : poolLabel;
  }

  public static Behavior<Command> create(String pool, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new PoolActor(ctx, pool, sharding));
  }

  private final String pool;
  private final Subscribers<ServiceActor.Command> subscribers;
  private List<NodeInfo> members;
  private boolean allowListMode;

  private PoolActor(ActorContext<Command> ctx, String pool, ClusterSharding sharding) {
    super(ctx);
    this.pool = pool;
    this.subscribers = new Subscribers<>(sharding, ServiceActor.TYPE_KEY);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodesUpdated.class, this::onNodes)
        .onMessage(
            Subscribe.class, m -> subscribed(() -> subscribers.add(m.serviceKey(), poolChanged())))
        .onMessage(Unsubscribe.class, m -> subscribed(() -> subscribers.remove(m.serviceKey())))
        .onMessage(GetPool.class, this::onGet)
        .build();
  }

  private Behavior<Command> onNodes(NodesUpdated m) {
    boolean mode = Eligibility.allowListMode(m.nodes());
    String label = DEFAULT.equals(pool) ? "" : pool;
    // Taints are per Service (its tolerations), so the pool filters with a tolerate-all list.
    Set<String> names = Eligibility.eligibleNodes(m.nodes(), label, TOLERATE_ALL);
    List<NodeInfo> next =
        m.nodes().stream()
            .filter(n -> names.contains(n.name()))
            .sorted(Comparator.comparing(NodeInfo::name))
            .toList();
    if (next.equals(members) && mode == allowListMode) return this;
    members = next;
    allowListMode = mode;
    subscribers.tellAll(poolChanged());
    return this;
  }

  private Behavior<Command> subscribed(Runnable change) {
    change.run();
    return this;
  }

  /** What subscribers hear; null until the first node list. */
  private ServiceActor.PoolChanged poolChanged() {
    return members == null ? null : new ServiceActor.PoolChanged(pool, allowListMode, members);
  }

  private Behavior<Command> onGet(GetPool m) {
    List<String> nodes =
        members == null ? List.of() : members.stream().map(NodeInfo::name).toList();
    m.replyTo().tell(new PoolView(pool, allowListMode, nodes, subscribers.keys()));
    return this;
  }
}
