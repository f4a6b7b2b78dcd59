package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsvc.actors.servicelb.model.PendingReason;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a Prometheus scrape of a member's registry shows: the build info, the JVM binders, and
 * ServiceLB's and the cloud-controller stub's series under the names docs/metrics.md lists.
 */
class MemberMetricsTest {
  private final ActorTestKit kit = ActorTestKit.create("MemberMetricsTest");

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void buildInfoAndTheJvmBindersAreScraped() {
    String scrape = MemberMetrics.create(kit.system()).scrape();
    assertThat(scrape)
        .containsPattern("(?m)^netsvc_build_info\\{[^}]*version=\"0\\.1\\.0\"[^}]*\\} 1(\\.0)?$")
        .containsPattern("(?m)^netsvc_build_info\\{[^}]*pekko_version=\"1\\.")
        .contains(
            "jvm_memory_used_bytes{",
            "jvm_gc_",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "system_cpu_count",
            "process_uptime_seconds");
  }

  @Test
  void serviceLbSeriesExistAtZeroAndFollowTheActorsReports() {
    PrometheusMeterRegistry registry = MemberMetrics.create(kit.system());
    MicrometerServiceLbMetrics lb = new MicrometerServiceLbMetrics(registry);
    for (PendingReason r : PendingReason.values()) {
      assertThat(registry.scrape())
          .contains("netsvc_servicelb_services_pending{reason=\"" + r.label() + "\"} 0");
    }
    assertThat(registry.scrape())
        .contains(
            "netsvc_servicelb_port_conflicts_total 0",
            "netsvc_servicelb_status_writes_total{result=\"error\"} 0",
            "netsvc_servicelb_reconcile_seconds_bucket",
            "netsvc_ccm_node_init_seconds_bucket",
            "netsvc_ccm_node_writes_total{result=\"ok\"} 0");

    lb.pending("default/a", PendingReason.SVCLB_NOT_READY);
    lb.pending("default/b", PendingReason.PORT_CONFLICT);
    lb.pending("default/a", null); // served
    lb.conflicts("default/b", 1);
    lb.statusWrite(true);
    lb.ledger("n1", 2, 1);
    lb.nodeInitialized(1_500_000_000L);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "netsvc_servicelb_services_pending{reason=\"port_conflict\"} 1",
            "netsvc_servicelb_services_pending{reason=\"svclb_not_ready\"} 0",
            "netsvc_servicelb_port_conflicts_total 1",
            "netsvc_servicelb_status_writes_total{result=\"ok\"} 1",
            "netsvc_servicelb_ledger_ports{holder=\"service\",node=\"n1\"} 2",
            "netsvc_servicelb_ledger_ports{holder=\"pod\",node=\"n1\"} 1",
            "netsvc_ccm_node_init_seconds_count 1");

    lb.ledger("n1", -1, -1); // the ledger moved to another member
    assertThat(registry.scrape()).doesNotContain("netsvc_servicelb_ledger_ports{");
  }
}
