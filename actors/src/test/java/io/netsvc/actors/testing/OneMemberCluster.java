package io.netsvc.actors.testing;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.netpol.NamespaceActor;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * An ActorTestKit that is a one-member cluster with sharding, for actors that talk to entities:
 * every message is serialized as on the wire (Jackson CBOR), and an entity type can be routed to a
 * probe (every entity of the type forwards to it) or to nothing.
 */
public final class OneMemberCluster implements AutoCloseable {
  private final ActorTestKit kit;
  private final ClusterSharding sharding;

  private OneMemberCluster(ActorTestKit kit) {
    this.kit = kit;
    Cluster c = Cluster.get(kit.system());
    c.manager().tell(Join.create(c.selfMember().address()));
    this.sharding = ClusterSharding.get(kit.system());
  }

  public static OneMemberCluster start(String name) {
    return new OneMemberCluster(
        ActorTestKit.create(
            name,
            ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.actor.serialize-messages = on
                pekko.actor.serialization-bindings {
                  "io.netsvc.k8s.records.CborSerializable" = jackson-cbor
                }
                pekko.cluster.sharding.passivation.strategy = none
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                """)));
  }

  /**
   * Routes every entity type netsvc's actors address (nodes, Services, pools, namespaces, policies)
   * to nothing, so that an actor under test can tell them without failing.
   */
  public OneMemberCluster withSilentEntities() {
    silence(NodeActor.TYPE_KEY);
    silence(ServiceActor.TYPE_KEY);
    silence(PoolActor.TYPE_KEY);
    silence(NamespaceActor.TYPE_KEY);
    silence(NetworkPolicyActor.TYPE_KEY);
    return this;
  }

  public ActorTestKit kit() {
    return kit;
  }

  public ClusterSharding sharding() {
    return sharding;
  }

  /** A message an entity got: which entity, and what. */
  public record Delivered<M>(String entityId, M message)
      implements NoSerializationVerificationNeeded {}

  /** Where the entities of one type deliver what they get. */
  public final class Route<M> {
    private final AtomicReference<ActorRef<Delivered<M>>> target = new AtomicReference<>();

    /** From now on the entities deliver to a new probe (one per test keeps tests apart). */
    public TestProbe<Delivered<M>> freshProbe() {
      TestProbe<Delivered<M>> probe = kit.createTestProbe();
      target.set(probe.getRef());
      return probe;
    }
  }

  /** Every entity of {@code key} hands what it gets, with its id, to the route's probe. */
  public <M> Route<M> route(EntityTypeKey<M> key) {
    Route<M> route = new Route<>();
    sharding.init(
        Entity.of(
            key,
            ctx ->
                Behaviors.receiveMessage(
                    m -> {
                      ActorRef<Delivered<M>> to = route.target.get();
                      if (to != null) to.tell(new Delivered<>(ctx.getEntityId(), m));
                      return Behaviors.same();
                    })));
    return route;
  }

  /** All entities of {@code key} drop what they get. */
  public <M> void silence(EntityTypeKey<M> key) {
    // not Behaviors.ignore(): that ignores the hand-off's stop too, so shutting down would hang
    sharding.init(Entity.of(key, ctx -> Behaviors.receiveMessage(m -> Behaviors.same())));
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
