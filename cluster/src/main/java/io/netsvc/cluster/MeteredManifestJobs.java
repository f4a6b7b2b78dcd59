package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netsvc.actors.deploy.ManifestJobs;
import io.netsvc.k8s.deploy.PassResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The manifest deployer's metrics (docs/metrics.md), around its blocking jobs: {@code
 * netsvc_deploy_pass_seconds{result}} (one pass over the manifests directory, {@code ok} or {@code
 * error} when it threw) and {@code netsvc_deploy_manifests_total{result}} (manifests {@code
 * applied}, {@code removed}, {@code failed}) and the gauge {@code netsvc_deploy_conflicts}
 * (manifests the last pass left alone because another deployer, K3s, holds their Addon). The
 * deployer actor stays unaware of them.
 */
final class MeteredManifestJobs implements ManifestJobs {
  private final ManifestJobs jobs;
  private final Timer ok;
  private final Timer error;
  private final Map<String, Counter> manifests = new TreeMap<>();
  private final AtomicInteger conflicts;

  /**
   * {@code conflicts} is the member's {@link #conflictsGauge}: a gauge registers once per registry,
   * while these jobs are made anew by every start of the deployer singleton on the member.
   */
  MeteredManifestJobs(ManifestJobs jobs, MeterRegistry registry, AtomicInteger conflicts) {
    this.jobs = jobs;
    this.conflicts = conflicts;
    this.ok = pass(registry, "ok");
    this.error = pass(registry, "error");
    for (String result : new String[] {"applied", "removed", "failed"}) {
      manifests.put(
          result,
          Counter.builder("netsvc.deploy.manifests")
              .description("packaged-component manifests the deployer applied, removed or failed")
              .tag("result", result)
              .register(registry));
    }
  }

  /** Registers {@code netsvc_deploy_conflicts} on the member; its value, set by each pass. */
  static AtomicInteger conflictsGauge(MeterRegistry registry) {
    AtomicInteger conflicts = new AtomicInteger();
    Gauge.builder("netsvc.deploy.conflicts", conflicts, AtomicInteger::get)
        .description("manifests whose Addon another deployer (K3s) holds, at the last pass")
        .strongReference(true)
        .register(registry);
    return conflicts;
  }

  private static Timer pass(MeterRegistry registry, String result) {
    return Timer.builder("netsvc.deploy.pass")
        .description("time of one pass of the deployer over its manifests directory")
        .tag("result", result)
        .publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public void prepare() {
    jobs.prepare();
  }

  @Override
  public PassResult pass(boolean force) {
    long start = System.nanoTime();
    PassResult r;
    try {
      r = jobs.pass(force);
    } catch (RuntimeException e) {
      error.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      throw e;
    }
    ok.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    manifests.get("applied").increment(r.deployed());
    manifests.get("removed").increment(r.removed());
    manifests.get("failed").increment(r.failed());
    conflicts.set(r.conflicts());
    return r;
  }
}
