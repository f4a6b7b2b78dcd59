package io.netsvc.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsvc.config.Cli;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A member's metric registry, served on {@code /metrics}: {@code netsvc_build_info{version,
 * java_version,pekko_version}} (always 1, for joining versions onto other series) and Micrometer's
 * JVM and process binders (memory, GC, threads, class loading, CPU, uptime), the messages it
 * dropped ({@link DroppedMessages}), next to which the features register theirs (docs/metrics.md).
 */
final class MemberMetrics {
  private MemberMetrics() {}

  static PrometheusMeterRegistry create(ActorSystem<?> system) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    buildInfo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // listens to the JVM's GC notifications until the member stops
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    system.getWhenTerminated().thenRun(gc::close);
    DroppedMessages.start(system, registry);
    return registry;
  }

  /** {@code netsvc_build_info}: 1, labelled with what this process runs. */
  static void buildInfo(MeterRegistry registry) {
    Gauge.builder("netsvc.build.info", () -> 1)
        .description("1; the labels tell the netsvc, Java and Pekko versions this member runs")
        .tag("version", version())
        .tag("java_version", System.getProperty("java.version", "unknown"))
        .tag("pekko_version", org.apache.pekko.Version.current())
        .register(registry);
  }

  /** The version {@code netsvc --version} prints, without the name. */
  static String version() {
    return Cli.VERSION.substring(Cli.VERSION.lastIndexOf(' ') + 1);
  }
}
