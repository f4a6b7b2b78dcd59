package io.netsvc.nodeagent.netpol;

import java.util.concurrent.atomic.AtomicInteger;

/** {@link NetpolMetrics} that counts, for tests of what an agent reports to {@code /metrics}. */
final class CountingMetrics implements NetpolMetrics {
  final AtomicInteger applied = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicInteger driftRepaired = new AtomicInteger();
  final AtomicInteger consistencyRepaired = new AtomicInteger();

  @Override
  public void applied(String node, long millis, int bytes, int chains, int rules, int sets) {
    applied.incrementAndGet();
  }

  @Override
  public void failed(String node) {
    failed.incrementAndGet();
  }

  @Override
  public void driftRepaired(String node) {
    driftRepaired.incrementAndGet();
  }

  @Override
  public void consistencyRepaired(String node) {
    consistencyRepaired.incrementAndGet();
  }
}
