package io.netsvc.actors.servicelb;

import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.Subscribers;
import io.netsvc.actors.servicelb.model.Eligibility;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;
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
 *
 * <p>A pool that starts (first message, restart, move after a crash) reads the nodes and its
 * Services from the member's caches when they are synced, so it neither waits for the next node
 * list nor forgets who subscribed; its Services also re-subscribe on every resync ({@link
 * Resubscribe}), which repairs a subscription that was lost all the same.
 */
public final class PoolActor extends AbstractBehavior<PoolActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "ServiceLbPool");

  /** Entity id of the pool of Services without an lbpool label. */
  public static final String DEFAULT = "_default";

  /** Messages of a PoolActor. */
  public sealed interface Command extends CborSerializable
      permits NodesUpdated, Subscribe, Resubscribe, Unsubscribe, GetPool {}

  /** The full node list, from the controller's Node watch. */
  public record NodesUpdated(List<NodeInfo> nodes) implements Command {}

  /** A ServiceActor wants the pool's members now and on every change. */
  public record Subscribe(String serviceKey) implements Command {}

  /**
   * A subscribed ServiceActor's periodic reminder. Idempotent: a pool that knows the Service does
   * nothing; one that does not (it was rebuilt, or the Subscribe was lost) subscribes it, answers
   * and counts a repair.
   */
  public record Resubscribe(String serviceKey) implements Command {}

  public record Unsubscribe(String serviceKey) implements Command {}

  public record GetPool(ActorRef<PoolView> replyTo) implements Command {}

  /** What the Management route shows of a pool. */
  public record PoolView(
      String pool, boolean allowListMode, List<String> nodes, List<String> services)
      implements CborSerializable {}

  public static String idFor(String poolLabel) {
    return poolLabel == null || poolLabel.isEmpty() ? DEFAULT : poolLabel;
  }

  /** Without caches: starts empty and waits for the node list and its subscribers. */
  public static Behavior<Command> create(String pool, ClusterSharding sharding) {
    return Behaviors.setup(
        ctx -> new PoolActor(ctx, pool, sharding, ServiceLbCache.NONE, ResyncRepairs.NONE));
  }

  public static Behavior<Command> create(String pool, ServiceLbDeps deps) {
    return Behaviors.setup(
        ctx -> new PoolActor(ctx, pool, deps.sharding(), deps.cache(), deps.repairs()));
  }

  private final String pool;
  private final Subscribers<ServiceActor.Command> subscribers;
  private final ResyncRepairs repairs;
  private List<NodeInfo> members;
  private boolean allowListMode;

  private PoolActor(
      ActorContext<Command> ctx,
      String pool,
      ClusterSharding sharding,
      ServiceLbCache cache,
      ResyncRepairs repairs) {
    super(ctx);
    this.pool = pool;
    this.subscribers = new Subscribers<>(sharding, ServiceActor.TYPE_KEY);
    this.repairs = repairs;
    if (cache.synced()) rebuild(cache);
  }

  /** The nodes and the Services of the pool as the caches hold them; the Services hear them. */
  private void rebuild(ServiceLbCache cache) {
    List<NodeInfo> nodes = cache.nodes();
    members = Eligibility.poolMembers(nodes, label());
    allowListMode = Eligibility.allowListMode(nodes);
    for (ServiceInfo s : cache.loadBalancers()) {
      if (pool.equals(idFor(s.labels().get(SvclbNames.LBPOOL_LABEL)))) {
        subscribers.add(s.key(), poolChanged());
      }
    }
  }

  private String label() {
    return DEFAULT.equals(pool) ? "" : pool;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodesUpdated.class, this::onNodes)
        .onMessage(
            Subscribe.class, m -> subscribed(() -> subscribers.add(m.serviceKey(), poolChanged())))
        .onMessage(Resubscribe.class, this::onResubscribe)
        .onMessage(Unsubscribe.class, m -> subscribed(() -> subscribers.remove(m.serviceKey())))
        .onMessage(GetPool.class, this::onGet)
        .build();
  }

  private Behavior<Command> onResubscribe(Resubscribe m) {
    if (subscribers.contains(m.serviceKey())) return this;
    getContext().getLog().info("pool {}: {} re-subscribed, it had been lost", pool, m.serviceKey());
    repairs.repaired("pool");
    subscribers.add(m.serviceKey(), poolChanged());
    return this;
  }

  private Behavior<Command> onNodes(NodesUpdated m) {
    boolean mode = Eligibility.allowListMode(m.nodes());
    List<NodeInfo> next = Eligibility.poolMembers(m.nodes(), label());
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
