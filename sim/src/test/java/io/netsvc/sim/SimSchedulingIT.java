package io.netsvc.sim;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulated scheduler places a waiting pod once a node changes so that it fits. */
class SimSchedulingIT {
  static final String SCENARIO =
      String.join(
          "\n",
          "nodes:",
          "  - name: only-1",
          "    internalIP: [10.0.0.11]",
          "    taints:",
          "      - {key: dedicated, value: gpu, effect: NoSchedule}",
          "");

  @Test
  void aPodWaitsForATaintToGoAndIsThenScheduled() throws Exception {
    try (SimHarness sim = SimHarness.start(SCENARIO)) {
      sim.client
          .pods()
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withNamespace("default")
                  .withName("waiting")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("main")
                  .withImage("example/app")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      // the scheduler has looked and found no node that fits: the pod keeps waiting
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  sim.client
                          .pods()
                          .inNamespace("default")
                          .withName("waiting")
                          .get()
                          .getSpec()
                          .getNodeName()
                      == null);
      sim.client
          .nodes()
          .withName("only-1")
          .edit(
              n -> {
                n.getSpec()
                    .setTaints(
                        n.getSpec().getTaints().stream()
                            .filter(t -> !t.getKey().equals("dedicated"))
                            .toList());
                return n;
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "only-1"
                      .equals(
                          sim.client
                              .pods()
                              .inNamespace("default")
                              .withName("waiting")
                              .get()
                              .getSpec()
                              .getNodeName()));
    }
  }
}
