package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Stage percentiles from two scrapes of the members' /metrics, as the benchmark prints them. */
class MetricsTextTest {
  private static final String BEFORE =
      """
      # HELP netsvc_netpol_apply_seconds time to render and apply a node's ruleset
      # TYPE netsvc_netpol_apply_seconds histogram
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="0.001",} 5.0
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="0.002",} 5.0
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="+Inf",} 5.0
      netsvc_netpol_apply_seconds_count{node="node-1",} 5.0
      netsvc_servicelb_status_writes_total{result="ok",} 7.0
      netsvc_servicelb_status_writes_total{result="error",} 1.0
      """;
  private static final String AFTER_1 =
      """
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="0.001",} 6.0
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="0.002",} 9.0
      netsvc_netpol_apply_seconds_bucket{node="node-1",le="+Inf",} 10.0
      netsvc_netpol_apply_seconds_count{node="node-1",} 10.0
      netsvc_servicelb_status_writes_total{result="ok",} 9.0
      """;
  private static final String AFTER_2 =
      """
      netsvc_netpol_apply_seconds_bucket{le="0.001",node="node-2"} 0.0
      netsvc_netpol_apply_seconds_bucket{le="0.002",node="node-2"} 4.0
      netsvc_netpol_apply_seconds_bucket{le="+Inf",node="node-2"} 5.0
      """;

  @Test
  void theDifferenceOfTwoScrapesGivesTheMeasurementsOwnPercentiles() {
    TreeMap<Double, Double> d =
        MetricsText.minus(
            MetricsText.buckets(List.of(AFTER_1, AFTER_2), "netsvc_netpol_apply_seconds"),
            MetricsText.buckets(List.of(BEFORE, ""), "netsvc_netpol_apply_seconds"));
    // 10 applies in the window: 1 at ≤1 ms, 7 more at ≤2 ms, 2 slower than the last bucket
    assertThat(MetricsText.count(d)).isEqualTo(10);
    assertThat(MetricsText.percentileMs(d, 10)).isEqualTo(1.0);
    assertThat(MetricsText.percentileMs(d, 50)).isEqualTo(2.0);
    assertThat(MetricsText.percentileMs(d, 80)).isEqualTo(2.0);
    assertThat(MetricsText.percentileMs(d, 99)).isInfinite();
  }

  @Test
  void noObservationsIsNotANumber() {
    TreeMap<Double, Double> d =
        MetricsText.minus(
            MetricsText.buckets(List.of(BEFORE), "netsvc_netpol_apply_seconds"),
            MetricsText.buckets(List.of(BEFORE), "netsvc_netpol_apply_seconds"));
    assertThat(MetricsText.count(d)).isZero();
    assertThat(MetricsText.percentileMs(d, 50)).isNaN();
    assertThat(MetricsText.buckets(List.of(BEFORE), "netsvc_netpol_compile_seconds")).isEmpty();
  }

  @Test
  void aCounterSumsTheSeriesWithTheLabel() {
    assertThat(
            MetricsText.counter(
                List.of(BEFORE, AFTER_1), "netsvc_servicelb_status_writes_total", "result=\"ok\""))
        .isEqualTo(16.0);
    assertThat(MetricsText.counter(List.of(BEFORE), "netsvc_servicelb_status_writes_total", ""))
        .isEqualTo(8.0);
  }
}
