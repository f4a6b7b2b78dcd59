package io.netsvc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.netsvc.cluster.InformersReadiness;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.sim.api.SimApiServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The member's informers when the API fails: down at start, down for a while, watch errors (410 and
 * others, and an event the client cannot read), an informer that stops. Handlers keep seeing every
 * change once the API answers again, the readiness check tells when the informers do not serve, and
 * no watch is ever left behind.
 */
class InformerFaultsIT {
  private static final String AGENT = "informer-faults-it";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration BACKOFF = Duration.ofMillis(100);
  private static final Duration GRACE = Duration.ofSeconds(1);

  /**
   * fabric8's default: an error before the first list, or a watch error it cannot handle, stops.
   */
  private static final ExceptionHandler FABRIC8_DEFAULT =
      (started, error) -> started && !(error instanceof WatcherException);

  /** A watch event no client can read: fabric8 closes the watch with a WatcherException. */
  private static final String UNREADABLE = "{\"type\":\"BOGUS\",\"object\":{}}";

  private SimApiServer server;
  private KubernetesClient client;
  private Informers informers;
  private InformersReadiness readiness; // /ready's check, over these informers

  @AfterEach
  void stop() {
    if (informers != null) informers.close();
    if (client != null) client.close();
    if (server != null) server.close();
  }

  /** What the handler saw: "+name" for a change, "-name" for a deletion. */
  private static final class Seen implements WatchHandler<PodInfo> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void observed(PodInfo p, boolean deleted) {
      events.add((deleted ? "-" : "+") + p.name());
    }

    long count(String event) {
      return events.stream().filter(event::equals).count();
    }
  }

  /** The member's client, which fails a request at once (the informers do the retrying). */
  private static KubernetesClient clientOf(int port) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withUserAgent(AGENT)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private void startApi() {
    server = SimApiServer.start("127.0.0.1", 0);
    client = clientOf(URI.create(server.url()).getPort());
  }

  private Seen watchPods() throws Exception {
    Seen seen = new Seen();
    WatchRegistration r =
        informers.register(List.of(new Informers.Handler<>(WatchKind.PODS, Convert::pod, seen)));
    r.synced().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return seen;
  }

  private void createPod(String name) {
    server
        .client()
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

  private void use(Informers i) {
    informers = i;
    readiness = new InformersReadiness(i);
  }

  private boolean ready() {
    return readiness.get().toCompletableFuture().join();
  }

  private void awaitOneWatch() {
    await().atMost(WAIT).until(() -> server.openWatches(AGENT).equals(Map.of("pods", 1)));
  }

  private static String status(int code, String reason) {
    return """
        {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure",\
        "code":%d,"reason":"%s","message":"injected"}}"""
        .formatted(code, reason);
  }

  @Test
  void anOutageMakesTheMemberUnreadyUntilTheWatchIsBackAndLeavesNoWatch() throws Exception {
    startApi();
    use(new Informers(client, Informers.RETRY_EVERY_ERROR, BACKOFF, GRACE));
    Seen seen = watchPods();
    createPod("a");
    await().atMost(WAIT).until(() -> seen.events.contains("+a"));
    assertThat(ready()).isTrue();

    server.stopListening();
    await().atMost(WAIT).until(() -> !ready());

    server.listenAgain();
    createPod("b");
    server
        .client()
        .pods()
        .inNamespace("default")
        .withName("a")
        .edit(
            p -> new PodBuilder(p).editMetadata().addToLabels("app", "web").endMetadata().build());
    await().atMost(WAIT).until(() -> seen.events.contains("+b") && seen.count("+a") == 2);
    await().atMost(WAIT).until(this::ready);
    awaitOneWatch();
    // fabric8 watched again by itself: nothing had to be replaced
    assertThat(informers.restarts(WatchKind.PODS)).isZero();
  }

  @Test
  void watchErrorsNeverStopTheInformer() throws Exception {
    startApi();
    use(new Informers(client));
    Seen seen = watchPods();
    awaitOneWatch();

    // fabric8 would stop here by default, and the handler would see nothing more
    server.sendWatchEvent("pods", UNREADABLE);
    createPod("a");
    await().atMost(WAIT).until(() -> seen.events.contains("+a"));

    awaitOneWatch();
    server.sendWatchEvent("pods", status(410, "Expired")); // lists again
    createPod("b");
    await().atMost(WAIT).until(() -> seen.events.contains("+b"));

    awaitOneWatch();
    server.sendWatchEvent("pods", status(500, "InternalError")); // watches again
    createPod("c");
    await().atMost(WAIT).until(() -> seen.events.contains("+c"));

    awaitOneWatch();
    await().atMost(WAIT).until(this::ready);
    assertThat(informers.restarts(WatchKind.PODS)).isZero();
  }

  @Test
  void anInformerThatStopsIsReplacedCountedAndUnreadyUntilItListsAgain() throws Exception {
    startApi();
    use(new Informers(client, FABRIC8_DEFAULT, BACKOFF, GRACE));
    createPod("a");
    createPod("b");
    Seen seen = watchPods();
    await().atMost(WAIT).until(() -> seen.events.size() == 2);
    assertThat(ready()).isTrue();
    awaitOneWatch();

    // the informer stops; while lists are forbidden, each replacement stops before listing
    server.failLists("pods", 403);
    server.sendWatchEvent("pods", UNREADABLE);
    await().atMost(WAIT).until(() -> informers.restarts(WatchKind.PODS) >= 2);
    assertThat(ready()).isFalse();

    createPod("c");
    server.client().pods().inNamespace("default").withName("a").delete();
    server.healLists("pods");
    await().atMost(WAIT).until(this::ready);
    // the replacement reports what changed while no informer listed, and only that
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(seen.events).containsExactlyInAnyOrder("+a", "+b", "+c", "-a"));
    // every stopped informer closed its watch
    awaitOneWatch();
    assertThat(informers.cached(WatchKind.PODS, p -> p.getMetadata().getName()))
        .containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void anApiThatIsDownAtStartIsWatchedOnceItComesUp() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    client = clientOf(port);
    use(new Informers(client));
    Seen seen = new Seen();
    WatchRegistration r =
        informers.register(List.of(new Informers.Handler<>(WatchKind.PODS, Convert::pod, seen)));
    assertThat(ready()).isFalse();

    server = SimApiServer.start("127.0.0.1", port);
    createPod("a");
    r.synced().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> seen.events.contains("+a"));
    assertThat(ready()).isTrue();
    // the one informer kept trying: none was replaced, none left a watch
    awaitOneWatch();
    assertThat(informers.restarts(WatchKind.PODS)).isZero();
  }
}
