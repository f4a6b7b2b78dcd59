package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netsvc.actors.ccm.CloudNodeMetrics;
import io.netsvc.actors.servicelb.ServiceLbMetrics;
import io.netsvc.actors.servicelb.model.PendingReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ServiceLB's and the cloud-controller stub's metrics in Micrometer (docs/metrics.md): {@code
 * netsvc_servicelb_services_pending{reason}}, {@code netsvc_servicelb_port_conflicts_total}, {@code
 * netsvc_servicelb_status_writes_total{result}}, {@code netsvc_servicelb_reconcile_seconds}, {@code
 * netsvc_servicelb_ledger_ports{node,holder}}, {@code netsvc_ccm_node_init_seconds} and {@code
 * netsvc_ccm_node_writes_total{result}}. Every reason and result is registered at 0, so the series
 * exist (and can be alerted on) before anything happens.
 */
final class MicrometerServiceLbMetrics implements ServiceLbMetrics, CloudNodeMetrics {
  private final MeterRegistry registry;
  private final Map<String, PendingReason> pendingByService = new ConcurrentHashMap<>();
  private final Map<PendingReason, AtomicInteger> pending = new EnumMap<>(PendingReason.class);
  private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
  private final Counter conflicts;
  private final Counter statusOk;
  private final Counter statusFailed;
  private final Timer reconcile;
  private final Timer nodeInit;
  private final Counter nodeWriteOk;
  private final Counter nodeWriteFailed;

  MicrometerServiceLbMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (PendingReason r : PendingReason.values()) {
      AtomicInteger n = new AtomicInteger();
      pending.put(r, n);
      Gauge.builder("netsvc.servicelb.services.pending", n, AtomicInteger::get)
          .description("LoadBalancer Services that advertise no address yet, by why")
          .tag("reason", r.label())
          .register(registry);
    }
    conflicts =
        Counter.builder("netsvc.servicelb.port.conflicts")
            .description("host ports a Service wanted on a node and found held by another")
            .register(registry);
    statusOk = statusWrites("ok");
    statusFailed = statusWrites("error");
    reconcile =
        Timer.builder("netsvc.servicelb.reconcile")
            .description("time to plan one Service and start the writes that differ")
            .publishPercentileHistogram()
            .register(registry);
    nodeInit =
        Timer.builder("netsvc.ccm.node.init")
            .description("time from seeing a node's uninitialized taint to removing it")
            .publishPercentileHistogram()
            .register(registry);
    nodeWriteOk = nodeWrites("ok");
    nodeWriteFailed = nodeWrites("error");
  }

  private Counter statusWrites(String result) {
    return Counter.builder("netsvc.servicelb.status.writes")
        .description("status.loadBalancer patches, by result")
        .tag("result", result)
        .register(registry);
  }

  private Counter nodeWrites(String result) {
    return Counter.builder("netsvc.ccm.node.writes")
        .description("writes of the cloud-controller stub to Nodes, by result")
        .tag("result", result)
        .register(registry);
  }

  @Override
  public void pending(String serviceKey, PendingReason reason) {
    PendingReason before =
        reason == null
            ? pendingByService.remove(serviceKey)
            : pendingByService.put(serviceKey, reason);
    if (before == reason) return;
    if (before != null) pending.get(before).decrementAndGet();
    if (reason != null) pending.get(reason).incrementAndGet();
  }

  @Override
  public void conflicts(String serviceKey, int count) {
    conflicts.increment(count);
  }

  @Override
  public void statusWrite(boolean ok) {
    (ok ? statusOk : statusFailed).increment();
  }

  @Override
  public void reconciled(long nanos) {
    reconcile.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One node's ledger gauges: ports held by Services, by pods. */
  private record Ledger(int[] held, List<Gauge> gauges) {}

  /**
   * A node's gauges are registered when its ledger first reports on this member and removed when it
   * stops here (it moved, or the node is gone): its new home reports it, and a sum over the members
   * counts each node once.
   */
  @Override
  public void ledger(String node, int servicePorts, int podPorts) {
    if (servicePorts < 0) {
      Ledger gone = ledgers.remove(node);
      if (gone != null) gone.gauges().forEach(registry::remove);
      return;
    }
    int[] held = ledgers.computeIfAbsent(node, this::ledgerGauges).held();
    held[0] = servicePorts;
    held[1] = podPorts;
  }

  private Ledger ledgerGauges(String node) {
    int[] held = new int[2];
    String[] holders = {"service", "pod"};
    List<Gauge> gauges = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int index = i;
      gauges.add(
          Gauge.builder("netsvc.servicelb.ledger.ports", held, a -> a[index])
              .description("host ports a node's ledger holds, by holder")
              .tags(Tags.of("node", node, "holder", holders[i]))
              .register(registry));
    }
    return new Ledger(held, gauges);
  }

  @Override
  public void nodeInitialized(long nanos) {
    nodeInit.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void nodeWrite(boolean ok) {
    (ok ? nodeWriteOk : nodeWriteFailed).increment();
  }
}
