package io.netsvc.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.WatchKind;

/**
 * The informers' metric: {@code netsvc_informer_restarts_total{kind}}, how many times the member's
 * informer of a kind stopped and was replaced (0 for every kind until one does, so a rate can be
 * alerted on).
 */
final class InformerMetrics {
  private InformerMetrics() {}

  static void register(MeterRegistry registry, Informers informers) {
    for (WatchKind<?> kind : WatchKind.ALL) {
      FunctionCounter.builder("netsvc.informer.restarts", informers, i -> i.restarts(kind))
          .description("informers that stopped and were replaced by a new one, which lists again")
          .tag("kind", kind.resource())
          .register(registry);
    }
  }
}
