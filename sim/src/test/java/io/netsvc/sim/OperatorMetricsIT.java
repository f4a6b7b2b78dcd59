package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator's Prometheus scrapes from a member's {@code /metrics} (docs/metrics.md) while a
 * user meets a port conflict: two LoadBalancer Services want 8080 on the only node. The first is
 * served; the second is counted pending for {@code port_conflict}, with one conflict; the status
 * write, the node's initialisation, the ledger's ports and the deployer's passes show too, next to
 * the build info and the JVM's series.
 */
class OperatorMetricsIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aPortConflictAndTheServedServiceShowOnMetrics() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "1")) {
      sim.create(SimHarness.lb("default", "web", 8080));
      await().atMost(WAIT).until(() -> sim.ingress("default", "web").size() == 1);
      sim.create(SimHarness.lb("default", "other", 8080));
      await()
          .atMost(WAIT)
          .until(() -> sim.hasEvent("default", "other", "Warning HostPortConflict"));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          value(sim, "netsvc_servicelb_services_pending{reason=\"port_conflict\"}"))
                      .isEqualTo(1.0));
      String metrics = sim.management("/metrics");
      assertThat(value(metrics, "netsvc_servicelb_port_conflicts_total")).isEqualTo(1.0);
      assertThat(value(metrics, "netsvc_servicelb_status_writes_total{result=\"ok\"}"))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(value(metrics, "netsvc_servicelb_status_writes_total{result=\"error\"}")).isZero();
      assertThat(value(metrics, "netsvc_servicelb_reconcile_seconds_count")).isPositive();
      // 8080 of web, and whatever the packaged components' LoadBalancers hold
      assertThat(
              value(metrics, "netsvc_servicelb_ledger_ports{holder=\"service\",node=\"node-1\"}"))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(value(metrics, "netsvc_ccm_node_init_seconds_count")).isEqualTo(1.0);
      assertThat(value(metrics, "netsvc_deploy_pass_seconds_count{result=\"ok\"}")).isPositive();
      assertThat(value(metrics, "netsvc_deploy_conflicts")).isZero(); // no K3s deploys here
      assertThat(metrics)
          .containsPattern("(?m)^netsvc_build_info\\{[^}]*version=\"0\\.1\\.0\"[^}]*\\} 1")
          .contains("jvm_memory_used_bytes{", "process_uptime_seconds", "netsvc_informer_");
    }
  }

  private static double value(SimHarness sim, String series) throws Exception {
    return value(sim.management("/metrics"), series);
  }

  /** The sample of {@code series} (name and labels as scraped); fails when it is not there. */
  private static double value(String metrics, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
    assertThat(m.find()).as("%s in /metrics", series).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
