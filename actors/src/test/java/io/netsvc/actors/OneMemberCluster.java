package io.netsvc.actors;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * CBOR (as between members), and stand-in entity types whose entities hand each message to the
 * probe a test registered for that entity id. A test plays the peers of the actor under test with
 * those probes, so it sees exactly what the actor tells whom.
 */
public final class OneMemberCluster implements AutoCloseable {
  private final ActorTestKit kit;
  private final ClusterSharding sharding;
  private final Map<String, Map<String, ActorRef<?>>> routes = new ConcurrentHashMap<>();

  private OneMemberCluster(ActorTestKit kit) {
    this.kit = kit;
    this.sharding = ClusterSharding.get(kit.system());
  }

  /**
   * @param name the actor system's name (one per test class: several run in one JVM)
   * @param serializeMessages false for actors whose own messages are local by design
   */
  public static OneMemberCluster start(String name, boolean serializeMessages) {
    ActorTestKit kit =
        ActorTestKit.create(
            name,
            ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.port = 0
                pekko.actor.serialize-messages = %s
                pekko.actor.serialization-bindings {
                  "io.netsvc.k8s.records.CborSerializable" = jackson-cbor
                }
                pekko.cluster.sharding.passivation.strategy = none
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                # a test's member just stops: no graceful hand-off of shards still being allocated
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                """
                    .formatted(serializeMessages ? "on" : "off")));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    return new OneMemberCluster(kit);
  }

  public ActorTestKit kit() {
    return kit;
  }

  public ClusterSharding sharding() {
    return sharding;
  }

  /**
   * Registers {@code key} as an entity type whose entities forward to the probes of {@link #probe};
   * a message to an entity without a probe is dropped.
   */
  public <M> void standIn(EntityTypeKey<M> key) {
    Map<String, ActorRef<?>> byId =
        routes.computeIfAbsent(key.name(), k -> new ConcurrentHashMap<>());
    sharding.init(
        Entity.of(
            key,
            ctx -> {
              String id = ctx.getEntityId();
              return Behaviors.<M>receiveMessage(
                  m -> {
                    @SuppressWarnings("unchecked")
                    ActorRef<M> to = (ActorRef<M>) byId.get(id);
                    if (to != null) to.tell(m);
                    return Behaviors.same();
                  });
            }));
  }

  /** A fresh probe that receives what entity {@code id} of a stand-in type is told from now on. */
  public <M> TestProbe<M> probe(EntityTypeKey<M> key, String id) {
    TestProbe<M> probe = kit.createTestProbe();
    Map<String, ActorRef<?>> byId = routes.get(key.name());
    if (byId == null) throw new IllegalStateException(key.name() + " is not a stand-in type");
    byId.put(id, probe.getRef());
    return probe;
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
