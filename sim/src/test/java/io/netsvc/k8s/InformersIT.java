package io.netsvc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.sim.api.SimApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The member's shared informers against the embedded API: one watch per kind, many handlers. */
class InformersIT {
  private static final String AGENT = "informers-it";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SimApiServer server;
  private KubernetesClient client;
  private Informers informers;

  @BeforeEach
  void start() {
    server = SimApiServer.start("127.0.0.1", 0);
    client = server.newClient(AGENT);
    informers = new Informers(client);
  }

  @AfterEach
  void stop() {
    informers.close();
    server.close();
  }

  /** What one handler saw: "+name" for a change, "-name" for a deletion. */
  private static final class Seen implements WatchHandler<PodInfo> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void observed(PodInfo p, boolean deleted) {
      events.add((deleted ? "-" : "+") + p.name());
    }
  }

  private static WatchRegistration onPods(Informers informers, WatchHandler<PodInfo> h) {
    return informers.register(List.of(new Informers.Handler<>(WatchKind.PODS, Convert::pod, h)));
  }

  private void createPod(String name) {
    client
        .resource(
            """
            apiVersion: v1
            kind: Pod
            metadata: {namespace: default, name: %s}
            spec: {containers: [{name: main, image: example/app}]}
            """
                .formatted(name))
        .create();
  }

  private Map<String, Integer> watches() {
    return server.openWatches(AGENT);
  }

  private static void awaitSynced(WatchRegistration r) throws Exception {
    r.synced().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void featuresOnTheSameKindShareOneWatchAndALateOneStillSeesEveryObject() throws Exception {
    createPod("a");
    Seen first = new Seen();
    WatchRegistration r1 = onPods(informers, first);
    awaitSynced(r1);
    createPod("b");
    await().atMost(WAIT).until(() -> first.events.contains("+b"));

    Seen late = new Seen();
    WatchRegistration r2 = onPods(informers, late);
    awaitSynced(r2);
    assertThat(late.events).containsExactlyInAnyOrder("+a", "+b");
    createPod("c");
    await().atMost(WAIT).until(() -> first.events.contains("+c") && late.events.contains("+c"));

    assertThat(watches()).isEqualTo(Map.of("pods", 1));
    assertThat(informers.watching()).containsExactly(WatchKind.PODS);
    assertThat(informers.cached(WatchKind.PODS, p -> p.getMetadata().getName()))
        .containsExactlyInAnyOrder("a", "b", "c");
    r1.close();
    r2.close();
  }

  @Test
  void aDroppedKindStopsItsWatchAndCacheAndALaterFeatureStartsAfresh() throws Exception {
    createPod("a");
    createPod("b");
    Seen seen = new Seen();
    WatchRegistration r = onPods(informers, seen);
    awaitSynced(r);
    await().atMost(WAIT).until(() -> seen.events.size() == 2);

    assertThat(informers.drop(WatchKind.PODS)).isEqualTo(2);
    await().atMost(WAIT).until(() -> watches().isEmpty());
    assertThat(informers.watching()).isEmpty();
    assertThat(informers.cached(WatchKind.PODS, p -> p.getMetadata().getName())).isEmpty();

    createPod("c");
    Seen late = new Seen();
    WatchRegistration r2 = onPods(informers, late);
    awaitSynced(r2);
    assertThat(late.events).containsExactlyInAnyOrder("+a", "+b", "+c");
    // the dropped informer's handler heard nothing more, and closing its registration leaves the
    // new informer running
    assertThat(seen.events).containsExactlyInAnyOrder("+a", "+b");
    r.close();
    assertThat(informers.watching()).containsExactly(WatchKind.PODS);
    assertThat(informers.cached(WatchKind.PODS, p -> p.getMetadata().getName()))
        .containsExactlyInAnyOrder("a", "b", "c");
    r2.close();
  }

  @Test
  void updatesThatChangeNoRecordAreDroppedAndAFailingHandlerStopsNoOne() throws Exception {
    createPod("a");
    Seen seen = new Seen();
    WatchRegistration failing =
        onPods(
            informers,
            (p, deleted) -> {
              throw new IllegalStateException("handler bug");
            });
    WatchRegistration r = onPods(informers, seen);
    awaitSynced(failing);
    awaitSynced(r);
    await().atMost(WAIT).until(() -> seen.events.equals(List.of("+a")));

    // an annotation is nothing PodInfo carries: no change reaches the handler
    client
        .pods()
        .inNamespace("default")
        .withName("a")
        .edit(
            p -> new PodBuilder(p).editMetadata().addToAnnotations("x", "1").endMetadata().build());
    client
        .pods()
        .inNamespace("default")
        .withName("a")
        .edit(
            p -> new PodBuilder(p).editMetadata().addToLabels("app", "web").endMetadata().build());
    client.pods().inNamespace("default").withName("a").delete();
    await().atMost(WAIT).until(() -> seen.events.equals(List.of("+a", "+a", "-a")));
    failing.close();
    r.close();
  }

  @Test
  void aClosedRegistrationGetsNothingAndTheLastOneStopsTheWatch() throws Exception {
    Seen leaving = new Seen();
    Seen staying = new Seen();
    WatchRegistration r1 = onPods(informers, leaving);
    WatchRegistration r2 =
        informers.register(
            List.of(
                new Informers.Handler<>(WatchKind.PODS, Convert::pod, staying),
                new Informers.Handler<>(
                    WatchKind.NODES, Convert::node, (NodeInfo n, boolean d) -> {})));
    awaitSynced(r1);
    awaitSynced(r2);
    await().atMost(WAIT).until(() -> watches().equals(Map.of("pods", 1, "nodes", 1)));

    r1.close();
    r1.close();
    createPod("after");
    await().atMost(WAIT).until(() -> staying.events.contains("+after"));
    assertThat(leaving.events).isEmpty();
    assertThat(watches()).isEqualTo(Map.of("pods", 1, "nodes", 1));

    r2.close();
    assertThat(informers.watching()).isEmpty();
    await().atMost(WAIT).until(() -> watches().isEmpty());

    // a registration after that starts a new informer, which lists what exists
    Seen again = new Seen();
    WatchRegistration r3 = onPods(informers, again);
    awaitSynced(r3);
    await().atMost(WAIT).until(() -> again.events.equals(List.of("+after")));
    assertThat(watches()).isEqualTo(Map.of("pods", 1));
    r3.close();
  }
}
