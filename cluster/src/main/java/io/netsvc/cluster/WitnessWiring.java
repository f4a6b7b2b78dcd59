package io.netsvc.cluster;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netsvc.actors.Supervision;
import io.netsvc.cluster.model.WitnessSelection;
import io.netsvc.k8s.Informers;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the {@link PodWitness} on a controller member when {@code netsvc.witness} enables it:
 * {@code on}, {@code off}, or {@code auto} (the default), which is on exactly when the member runs
 * in a pod and talks to that pod's own cluster: {@code KUBERNETES_SERVICE_HOST} (set by the
 * kubelet) is the host of the API the member uses. Outside Kubernetes no pod stands for a member,
 * and a sim's pods (a sim or test run inside a pod talks to its own API) must never be taken for
 * netsvc's by accident.
 */
final class WitnessWiring {
  private static final Logger LOG = LoggerFactory.getLogger(WitnessWiring.class);

  private WitnessWiring() {}

  /**
   * @param clientNamespace the Kubernetes client's namespace: in a pod its own (from the
   *     ServiceAccount), the default for {@code netsvc.witness.namespace = ""}
   * @param apiHost the host of the API server the member's client talks to
   */
  static void start(
      ActorSystem<?> system,
      Informers informers,
      String clientNamespace,
      String apiHost,
      MeterRegistry metrics,
      Map<String, String> env) {
    Config c = system.settings().config().getConfig("netsvc.witness");
    if (!enabled(c.getString("enabled"), env, apiHost)) return;
    WitnessSelection selection;
    try {
      String ns = c.getString("namespace").strip();
      selection =
          new WitnessSelection(
              ns.isEmpty() ? clientNamespace : ns,
              WitnessSelection.parseSelector(c.getString("pod-selector")),
              c.getString("container"),
              c.getString("port-name"));
    } catch (IllegalArgumentException e) {
      // a wrong setting costs the fast path, not the member: failures are still detected
      LOG.error("pod witness off: {}", e.getMessage());
      return;
    }
    Counter downs =
        Counter.builder("netsvc.witness.downs")
            .description("members this member downed because their pod was reported dead")
            .register(metrics);
    system.systemActorOf(
        // a failure restarts it, and it rebuilds its view from the informer and the cluster
        Supervision.backoff(
            PodWitness.create(informers, selection, ServiceLbWiring.CONTROLLER_ROLE, downs),
            Supervision.SINGLETON_MIN,
            Supervision.SINGLETON_MAX),
        "pod-witness",
        Props.empty());
  }

  static boolean enabled(String setting, Map<String, String> env, String apiHost) {
    return switch (setting.strip().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> {
        String inPod = bare(env.getOrDefault("KUBERNETES_SERVICE_HOST", ""));
        yield !inPod.isEmpty() && inPod.equals(bare(apiHost == null ? "" : apiHost));
      }
    };
  }

  private static String bare(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
