package io.netsvc.actors.testing;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.netpol.NamespaceActor;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * A Pekko cluster of one member for actor tests: the real sharding, every message through Jackson
 * CBOR (as between members) unless asked otherwise, and stand-in entity types in place of the peers
 * of the actor under test. A stand-in entity hands each message to the probe registered for its id
 * ({@link #probe}), else to its type's catch-all probe ({@link #route}), else drops it; so a test
 * sees exactly what the actor tells whom.
 */
public final class OneMemberCluster implements AutoCloseable {
  private final ActorTestKit kit;
  private final ClusterSharding sharding;
  private final Map<String, StandIn<?>> standIns = new ConcurrentHashMap<>();

  private OneMemberCluster(ActorTestKit kit) {
    this.kit = kit;
    Cluster c = Cluster.get(kit.system());
    c.manager().tell(Join.create(c.selfMember().address()));
    this.sharding = ClusterSharding.get(kit.system());
  }

  /** A cluster whose messages are all serialized; {@code name}: one per test class. */
  public static OneMemberCluster start(String name) {
    return start(name, true);
  }

  /**
   * @param name the actor system's name (one per test class: several run in one JVM)
   * @param serializeMessages false for actors whose own messages are local by design
   */
  public static OneMemberCluster start(String name, boolean serializeMessages) {
    return new OneMemberCluster(
        ActorTestKit.create(
            name,
            ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.actor.serialize-messages = %s
                pekko.actor.serialization-bindings {
                  "io.netsvc.k8s.records.CborSerializable" = jackson-cbor
                }
                pekko.cluster.sharding.passivation.strategy = none
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                # a test's member just stops: no graceful hand-off of shards still being allocated
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                # LoggingTestKit's wait, as long as the tests' other waits on a busy machine
                pekko.actor.testkit.typed.filter-leeway = 10s
                """
                    .formatted(serializeMessages ? "on" : "off"))));
  }

  /**
   * Makes every entity type netsvc's actors address (nodes, Services, pools, namespaces, policies)
   * a stand-in, so that an actor under test can tell them without failing; what they get is dropped
   * unless a test asks for it with {@link #probe} or {@link #route}.
   */
  public OneMemberCluster withSilentEntities() {
    standIn(NodeActor.TYPE_KEY);
    standIn(ServiceActor.TYPE_KEY);
    standIn(PoolActor.TYPE_KEY);
    standIn(NamespaceActor.TYPE_KEY);
    standIn(NetworkPolicyActor.TYPE_KEY);
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

  /** Where the entities of one type deliver what no per-entity probe takes. */
  public final class Route<M> {
    private final AtomicReference<ActorRef<Delivered<M>>> target = new AtomicReference<>();

    /** From now on the entities deliver to a new probe (one per test keeps tests apart). */
    public TestProbe<Delivered<M>> freshProbe() {
      TestProbe<Delivered<M>> probe = kit.createTestProbe();
      target.set(probe.getRef());
      return probe;
    }
  }

  /** The probes of one stand-in type: per entity id, and the catch-all route. */
  private final class StandIn<M> {
    final Map<String, ActorRef<M>> byId = new ConcurrentHashMap<>();
    final Route<M> route = new Route<>();

    void deliver(String id, M m) {
      ActorRef<M> to = byId.get(id);
      if (to != null) {
        to.tell(m);
        return;
      }
      ActorRef<Delivered<M>> all = route.target.get();
      if (all != null) all.tell(new Delivered<>(id, m));
    }
  }

  /**
   * Registers {@code key} as a stand-in entity type (idempotent). Its entities drop what they get
   * until a test asks for it with {@link #probe} or {@link #route}.
   */
  public <M> void standIn(EntityTypeKey<M> key) {
    standInFor(key);
  }

  @SuppressWarnings("unchecked")
  private <M> StandIn<M> standInFor(EntityTypeKey<M> key) {
    return (StandIn<M>)
        standIns.computeIfAbsent(
            key.name(),
            k -> {
              StandIn<M> s = new StandIn<>();
              // not Behaviors.ignore(): that ignores the hand-off's stop too, so shutting down
              // would hang
              sharding.init(
                  Entity.of(
                      key,
                      ctx ->
                          Behaviors.<M>receiveMessage(
                              m -> {
                                s.deliver(ctx.getEntityId(), m);
                                return Behaviors.same();
                              })));
              return s;
            });
  }

  /**
   * A fresh probe that receives what entity {@code id} of {@code key} is told from now on (the type
   * becomes a stand-in if it is not one yet).
   */
  public <M> TestProbe<M> probe(EntityTypeKey<M> key, String id) {
    TestProbe<M> probe = kit.createTestProbe();
    standInFor(key).byId.put(id, probe.getRef());
    return probe;
  }

  /** Every entity of {@code key} without its own probe hands what it gets, with its id, here. */
  public <M> Route<M> route(EntityTypeKey<M> key) {
    return standInFor(key).route;
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
