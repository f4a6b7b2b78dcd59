package io.netsvc.cluster.http;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.ServiceLbController;
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

/** Asks the ServiceLB actors what the Management routes show. */
final class ServiceLbQueries {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;

  ServiceLbQueries(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
  }

  CompletionStage<List<ServiceActor.Summary>> services() {
    return keys(ServiceLbController.ListServices::new)
        .thenCompose(
            keys ->
                all(
                    keys,
                    k ->
                        sharding
                            .entityRefFor(ServiceActor.TYPE_KEY, k)
                            .ask(ServiceActor.GetSummary::new, TIMEOUT)));
  }

  CompletionStage<List<PoolActor.PoolView>> pools() {
    return keys(ServiceLbController.ListPools::new)
        .thenCompose(
            keys ->
                all(
                    keys,
                    k ->
                        sharding
                            .entityRefFor(PoolActor.TYPE_KEY, k)
                            .ask(PoolActor.GetPool::new, TIMEOUT)));
  }

  CompletionStage<NodeActor.Ledger> ledger(String node) {
    return sharding.entityRefFor(NodeActor.TYPE_KEY, node).ask(NodeActor.GetLedger::new, TIMEOUT);
  }

  private CompletionStage<List<String>> keys(
      Function<ActorRef<ServiceLbController.Keys>, ServiceLbController.Command> msg) {
    ActorRef<ServiceLbController.Command> controller = NetsvcHandles.get(system).serviceLb();
    if (controller == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("ServiceLB is not running"));
    }
    return AskPattern.ask(controller, msg::apply, TIMEOUT, system.scheduler())
        .thenApply(ServiceLbController.Keys::keys);
  }

  private static <T> CompletionStage<List<T>> all(
      List<String> keys, Function<String, CompletionStage<T>> ask) {
    List<CompletableFuture<T>> futures =
        keys.stream().map(k -> ask.apply(k).toCompletableFuture()).toList();
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }
}
