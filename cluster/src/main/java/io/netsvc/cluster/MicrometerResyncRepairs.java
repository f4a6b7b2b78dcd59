package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netsvc.actors.ResyncRepairs;
import java.util.List;

/**
 * {@code netsvc_resync_repairs_total{kind}}: what the periodic resync of the member's entities
 * found wrong and repaired. Registered at 0 for every kind, so the series exists (and can be
 * alerted on) before any repair.
 */
final class MicrometerResyncRepairs implements ResyncRepairs {
  private final MeterRegistry registry;

  MicrometerResyncRepairs(MeterRegistry registry) {
    this.registry = registry;
    for (String kind : List.of("service", "pool", "networkpolicy", "agent")) counter(kind);
  }

  @Override
  public void repaired(String kind) {
    counter(kind).increment();
  }

  private Counter counter(String kind) {
    return Counter.builder("netsvc.resync.repairs")
        .description("facts an entity's resync found lost (a message dropped) and repaired")
        .tag("kind", kind)
        .register(registry);
  }
}
