package io.netsvc.cluster;

import io.netsvc.actors.servicelb.ServiceLbController;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Per-ActorSystem handles the Management routes need: the controller singleton's proxy and the
 * member's metrics registry.
 */
public final class NetsvcHandles implements Extension {
  private static final ExtensionId<NetsvcHandles> ID =
      new ExtensionId<>() {
        @Override
        public NetsvcHandles createExtension(ActorSystem<?> system) {
          return new NetsvcHandles();
        }
      };

  private final AtomicReference<ActorRef<ServiceLbController.Command>> serviceLb =
      new AtomicReference<>();

  private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics =
      new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
          io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);

  /** This member's metrics, served on {@code /metrics} in Prometheus text format. */
  public io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public static NetsvcHandles get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void serviceLb(ActorRef<ServiceLbController.Command> proxy) {
    serviceLb.set(proxy);
  }

  /** The ServiceLB controller singleton's proxy, or null when ServiceLB is not wired here. */
  public ActorRef<ServiceLbController.Command> serviceLb() {
    return serviceLb.get();
  }
}
