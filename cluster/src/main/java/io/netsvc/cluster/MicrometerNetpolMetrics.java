package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netsvc.nodeagent.netpol.NetpolMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The NetworkPolicy metrics in Micrometer: {@code netsvc_netpol_compile_seconds} (histogram), and
 * the node agents' {@code netsvc_netpol_apply_seconds} (histogram per node), {@code
 * netsvc_netpol_apply_bytes}, gauges {@code netsvc_netpol_chains|rules|ipsets}, counters {@code
 * netsvc_netpol_apply_failures_total}, {@code netsvc_netpol_drift_repairs_total} and {@code
 * netsvc_netpol_consistency_repairs_total}, and the apply's stages {@code
 * netsvc_netpol_apply_plan_seconds} and {@code netsvc_netpol_apply_kernel_seconds}, and the send
 * stage {@code netsvc_netpol_send_seconds} (policy → agent, per node). (The resync's repairs are
 * {@link MicrometerResyncRepairs}.)
 */
final class MicrometerNetpolMetrics implements NetpolMetrics {
  private final MeterRegistry registry;
  private final Map<String, int[]> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> bytes = new ConcurrentHashMap<>();

  MicrometerNetpolMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code netsvc_netpol_compile_seconds}: one NetworkPolicy compiled against the cluster. */
  static java.util.function.LongConsumer compileTimer(MeterRegistry registry) {
    Timer timer =
        Timer.builder("netsvc.netpol.compile")
            .description("time to compile one NetworkPolicy against the cluster's pods")
            .publishPercentileHistogram()
            .register(registry);
    return nanos -> timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public void applied(String node, long millis, int bytesIn, int chains, int rules, int sets) {
    Timer.builder("netsvc.netpol.apply")
        .description("time to render and apply a node's ruleset")
        .tag("node", node)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(millis));
    int[] c = counts.computeIfAbsent(node, this::gauges);
    c[0] = chains;
    c[1] = rules;
    c[2] = sets;
    bytes
        .computeIfAbsent(
            node,
            n ->
                registry.gauge(
                    "netsvc.netpol.apply.bytes",
                    java.util.List.of(io.micrometer.core.instrument.Tag.of("node", n)),
                    new AtomicInteger()))
        .set(bytesIn);
  }

  private int[] gauges(String node) {
    int[] c = new int[3];
    String[] names = {"chains", "rules", "ipsets"};
    for (int i = 0; i < 3; i++) {
      int index = i;
      Gauge.builder("netsvc.netpol." + names[i], c, a -> a[index])
          .tag("node", node)
          .register(registry);
    }
    return c;
  }

  @Override
  public void failed(String node) {
    Counter.builder("netsvc.netpol.apply.failures")
        .tag("node", node)
        .register(registry)
        .increment();
  }

  @Override
  public void driftRepaired(String node) {
    Counter.builder("netsvc.netpol.drift.repairs").tag("node", node).register(registry).increment();
  }

  @Override
  public void stages(String node, long planMillis, long kernelMillis) {
    stage("plan", "deciding what to write (patch or render, and plan)", node, planMillis);
    stage("kernel", "the kernel tools of an apply (ipset, iptables-restore)", node, kernelMillis);
  }

  private void stage(String stage, String what, String node, long millis) {
    Timer.builder("netsvc.netpol.apply." + stage)
        .description(what)
        .tag("node", node)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(millis));
  }

  @Override
  public void sent(String node, long micros) {
    Timer.builder("netsvc.netpol.send")
        .description("from a NetworkPolicyActor's send of a fragment to its receipt by the agent")
        .tag("node", node)
        .publishPercentileHistogram()
        .register(registry)
        .record(micros, java.util.concurrent.TimeUnit.MICROSECONDS);
  }

  @Override
  public void consistencyRepaired(String node) {
    Counter.builder("netsvc.netpol.consistency.repairs")
        .description("patched rulesets that differed from a fresh render (fresh one applied)")
        .tag("node", node)
        .register(registry)
        .increment();
  }
}
