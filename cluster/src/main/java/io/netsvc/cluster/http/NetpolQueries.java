package io.netsvc.cluster.http;

import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.node.NodeActor;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Asks the NetworkPolicy entities what the Management routes show. */
final class NetpolQueries {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ClusterSharding sharding;
  private final KnownNames known;

  NetpolQueries(ActorSystem<?> system) {
    this.sharding = ClusterSharding.get(system);
    this.known = new KnownNames(system);
  }

  /** The node's applied ruleset, its generation, apply time and counts. */
  CompletionStage<NodeActor.NetpolState> node(String node) {
    return known.node(
        node,
        () ->
            sharding.entityRefFor(NodeActor.TYPE_KEY, node).ask(NodeActor.GetNetpol::new, TIMEOUT));
  }

  /** On which nodes the policy is realised, at which generation. */
  CompletionStage<NetworkPolicyActor.Status> policy(String namespace, String name) {
    String key = namespace + "/" + name;
    return known.policy(
        key,
        () ->
            sharding
                .entityRefFor(NetworkPolicyActor.TYPE_KEY, key)
                .ask(NetworkPolicyActor.GetStatus::new, TIMEOUT));
  }
}
