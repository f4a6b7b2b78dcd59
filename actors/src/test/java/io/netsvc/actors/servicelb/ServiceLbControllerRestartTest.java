package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.Supervision;
import io.netsvc.actors.servicelb.ServiceLbController.Command;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.actors.testing.FakeWatchSource;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.ServiceLbWatchHandler;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ServiceLB singleton under its failure policy ({@link Supervision#singleton}): a controller
 * whose start or handler throws is started again and still places new Services. Without the policy
 * Pekko stops it, and ServiceLB is gone until the member restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbControllerRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");

  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceLbControllerRestartTest").withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private ActorRef<Command> supervised(
      FakeServiceLbApi api, FakeWatchSource<ServiceLbWatchHandler> source) {
    ServiceLbDeps deps = new ServiceLbDeps(api, RENDER, cluster.sharding(), Duration.ofMillis(50));
    return cluster
        .kit()
        .spawn(
            Supervision.singleton(ServiceLbController.create(deps, source, Duration.ofHours(1))));
  }

  private static ServiceInfo lb(String name) {
    return Fixtures.svc().name(name).build();
  }

  @Test
  void aControllerWhoseStartThrowsStartsAgainAndPlacesNewServices() {
    FakeServiceLbApi api = new FakeServiceLbApi();
    // the client throws instead of failing its future, as an API that is down at start may
    api.throwNext(Call.ENSURE_NAMESPACE, "connection refused");
    FakeWatchSource<ServiceLbWatchHandler> source = FakeWatchSource.syncedAtOnce();
    TestProbe<ServiceActor.Command> service = cluster.probe(ServiceActor.TYPE_KEY, "default/s1");
    ActorRef<Command> controller = supervised(api, source);

    await()
        .atMost(WAIT)
        .until(() -> api.calls.stream().filter(Call.ENSURE_NAMESPACE::equals).count() == 2);
    ServiceInfo svc = lb("s1");
    source.handler().services().observed(svc, false);
    assertThat(service.receiveMessage(WAIT)).isEqualTo(new ServiceActor.Changed(svc));
    cluster.kit().stop(controller, WAIT);
  }

  @Test
  void aControllerWhoseHandlerThrowsStartsAgainWithAFreshWatchAndPlacesNewServices() {
    FakeServiceLbApi api = new FakeServiceLbApi();
    // a bug met while going live: the handler of WatchesStarted throws
    api.throwNext(Call.LIST_DAEMONSETS, "bug");
    FakeWatchSource<ServiceLbWatchHandler> source = FakeWatchSource.syncedAtOnce();
    TestProbe<ServiceActor.Command> service = cluster.probe(ServiceActor.TYPE_KEY, "default/s2");
    ActorRef<Command> controller = supervised(api, source);

    await()
        .atMost(WAIT)
        .until(() -> api.calls.stream().filter(Call.LIST_DAEMONSETS::equals).count() == 2);
    FakeWatchSource<ServiceLbWatchHandler>.Registration first = source.registration();
    ServiceInfo svc = lb("s2");
    source.handler().services().observed(svc, false);
    assertThat(service.receiveMessage(WAIT)).isEqualTo(new ServiceActor.Changed(svc));
    cluster.kit().stop(controller, WAIT);
    await().atMost(WAIT).until(first::closed);
  }
}
