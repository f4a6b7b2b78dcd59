package io.netsvc.cluster.http;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.cluster.ManagementDeps;
import io.netsvc.cluster.NetsvcHandles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** Asks the ServiceLB actors what the Management routes show. */
final class ServiceLbQueries {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final KnownNames known;

  ServiceLbQueries(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.known = new KnownNames(system);
  }

  CompletionStage<List<ServiceActor.Summary>> services() {
    return askEach(
        ServiceLbController.ListServices::new, ServiceActor.TYPE_KEY, ServiceActor.GetSummary::new);
  }

  CompletionStage<List<PoolActor.PoolView>> pools() {
    return askEach(ServiceLbController.ListPools::new, PoolActor.TYPE_KEY, PoolActor.GetPool::new);
  }

  CompletionStage<NodeActor.Ledger> ledger(String node) {
    return known.node(
        node,
        () ->
            sharding.entityRefFor(NodeActor.TYPE_KEY, node).ask(NodeActor.GetLedger::new, TIMEOUT));
  }

  private CompletionStage<List<String>> keys(
      Function<ActorRef<ServiceLbController.Keys>, ServiceLbController.Command> msg) {
    ActorRef<ServiceLbController.Command> controller =
        NetsvcHandles.get(system).deps().map(ManagementDeps::serviceLb).orElse(null);
    if (controller == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("ServiceLB is not running"));
    }
    return AskPattern.ask(controller, msg::apply, TIMEOUT, system.scheduler())
        .thenApply(ServiceLbController.Keys::keys);
  }

  /** Asks the controller which entities of a type exist, then asks each of them. */
  private <M, R> CompletionStage<List<R>> askEach(
      Function<ActorRef<ServiceLbController.Keys>, ServiceLbController.Command> list,
      EntityTypeKey<M> type,
      org.apache.pekko.japi.function.Function<ActorRef<R>, M> question) {
    return keys(list)
        .thenCompose(
            keys -> {
              List<CompletableFuture<R>> answers =
                  keys.stream()
                      .map(
                          k ->
                              sharding
                                  .entityRefFor(type, k)
                                  .ask(question, TIMEOUT)
                                  .toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                  .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
            });
  }
}
