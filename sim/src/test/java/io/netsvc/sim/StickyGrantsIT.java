package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A host port granted to a serving Service stays with it: an older Service that later moves into
 * its pool waits, with a HostPortConflict naming the holder, and gets the port when the holder
 * goes. Embedded sim, 3 nodes; only node-1 serves LoadBalancers (allow-list mode, pool "a").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StickyGrantsIT {
  static final String ENABLELB = "svccontroller.k3s.cattle.io/enablelb";
  static final String LBPOOL = "svccontroller.k3s.cattle.io/lbpool";
  static final List<String> NODE_1 = List.of("172.30.0.2");
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "3");
    // merge patches: the controllers write these objects too, so no resourceVersion is sent
    sim.client
        .nodes()
        .withName("node-1")
        .patch(PatchContext.of(PatchType.JSON_MERGE), labels(ENABLELB, "true", LBPOOL, "a"));
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private static String labels(String... kv) {
    StringBuilder b = new StringBuilder("{\"metadata\":{\"labels\":{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) b.append(',');
      b.append('"').append(kv[i]).append("\":\"").append(kv[i + 1]).append('"');
    }
    return b.append("}}}").toString();
  }

  private static Service inPool(Service s, String pool) {
    return new ServiceBuilder(s).editMetadata().addToLabels(LBPOOL, pool).endMetadata().build();
  }

  @Test
  void anOlderServiceMovingIntoThePoolWaitsBehindTheServingHolder() {
    // created first (the older one), in a pool with no node: it waits for nodes, holds nothing
    sim.create(inPool(SimHarness.lb("default", "a-old", 9393), "b"));
    sim.create(inPool(SimHarness.lb("default", "b-young", 9393), "a"));
    sim.awaitIngress("default", "b-young", NODE_1);
    assertThat(sim.get("default", "a-old").getMetadata().getCreationTimestamp())
        .isLessThanOrEqualTo(sim.get("default", "b-young").getMetadata().getCreationTimestamp());

    sim.client
        .services()
        .inNamespace("default")
        .withName("a-old")
        .patch(PatchContext.of(PatchType.JSON_MERGE), labels(LBPOOL, "a"));
    boolean[] holderLostIngress = {false};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!sim.ingress("default", "b-young").equals(NODE_1)) holderLostIngress[0] = true;
              return sim.hasEvent("default", "a-old", "Warning HostPortConflict");
            });
    assertThat(sim.events("default", "a-old"))
        .anyMatch(e -> e.contains("9393/TCP on node-1 is held by Service default/b-young"));
    assertThat(sim.ingress("default", "a-old")).isEmpty();
    // the holder keeps serving: its ingress never went and it was never told of a conflict
    assertThat(holderLostIngress[0]).isFalse();
    assertThat(sim.ingress("default", "b-young")).isEqualTo(NODE_1);
    assertThat(sim.hasEvent("default", "b-young", "Warning HostPortConflict")).isFalse();

    sim.client.services().inNamespace("default").withName("b-young").delete();
    sim.awaitIngress("default", "a-old", NODE_1);
  }
}
