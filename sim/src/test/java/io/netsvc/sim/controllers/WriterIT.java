package io.netsvc.sim.controllers;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.netsvc.sim.api.SimApiServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sim's writes against the embedded API: what an outage does to them. */
class WriterIT {
  private final SimApiServer api = SimApiServer.start("127.0.0.1", 0);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final Writer writer = new Writer(api.newClient(), pool, loop);

  @AfterEach
  void stop() {
    pool.shutdownNow();
    loop.shutdownNow();
    api.close();
  }

  @Test
  void aWriteMadeWhileTheApiIsDownLandsWhenItIsBack() {
    api.stopListening();
    writer.write(
        "create configmap",
        c ->
            c.configMaps()
                .inNamespace("default")
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("written-in-outage")
                        .endMetadata()
                        .withData(Map.of("k", "v"))
                        .build())
                .create());
    api.listenAgain();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.client().configMaps().inNamespace("default").withName("written-in-outage").get()
                    != null);
  }

  @Test
  void aWriteTheApiRefusesIsNotRepeated() {
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("exists")
            .endMetadata()
            .withData(Map.of("k", "first"))
            .build();
    api.client().configMaps().inNamespace("default").resource(cm).create();
    // a create of an existing object is refused (409): the object moved on, so a retry could only
    // be wrong later; it is dropped after one attempt
    AtomicInteger attempts = new AtomicInteger();
    writer.write(
        "create again",
        c -> {
          attempts.incrementAndGet();
          c.configMaps().inNamespace("default").resource(cm).create();
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 1);
    await()
        .during(Duration.ofMillis(4 * Writer.RETRY_MILLIS))
        .atMost(Duration.ofSeconds(10))
        .until(() -> attempts.get() == 1);
  }
}
