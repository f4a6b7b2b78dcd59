package io.netsvc.cluster.model;

import io.netsvc.config.Discovery;
import java.util.List;
import java.util.Map;

/**
 * How a starting member gets into its cluster: through {@code --seed} addresses (bare hosts), alone
 * (a server without seeds), or through Pekko Cluster Bootstrap with the controller pods that the
 * Kubernetes API lists as contact points (a Kubernetes pod with {@code --discovery
 * kubernetes-api}); else it cannot start and says why in one line.
 */
public sealed interface Formation {

  /** Join the members at these Artery addresses ("host:port"). */
  record JoinSeeds(List<String> seeds) implements Formation {
    public JoinSeeds {
      seeds = List.copyOf(seeds);
    }
  }

  /** Form a cluster of its own: a server without seeds. */
  record Alone() implements Formation {}

  /**
   * Cluster Bootstrap. {@code newClusterEnabled}: whether this member may form the cluster when no
   * contact point reports one. Only controllers may: an agent that formed a cluster of its own
   * would hold its node's rules apart from the controllers that decide them, so it waits until a
   * controller pod reports the cluster, and joins that.
   */
  record Bootstrap(boolean newClusterEnabled) implements Formation {
    /** The Pekko settings for this member on top of the shared ones (application.conf). */
    public String config() {
      return "pekko.management.cluster.bootstrap.new-cluster-enabled = "
          + (newClusterEnabled ? "on" : "off")
          + "\n";
    }
  }

  /** Cannot start: the one line to print before exiting. */
  record Refused(String message) implements Formation {}

  /**
   * @param controller whether the member has the controller role ({@code server})
   * @param seeds {@code --seed}
   * @param discovery {@code --discovery}
   * @param env the process environment (the kubelet puts the API's address there)
   * @param tokenExists whether the pod's ServiceAccount token file exists
   */
  static Formation decide(
      boolean controller,
      List<String> seeds,
      Discovery discovery,
      Map<String, String> env,
      boolean tokenExists) {
    String who = controller ? "server" : "agent";
    if (discovery == Discovery.KUBERNETES_API) {
      // without these the bootstrap would retry its lookup forever and the member never join
      if (env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank()) {
        return new Refused(
            who
                + " --discovery kubernetes-api runs in a Kubernetes pod: KUBERNETES_SERVICE_HOST"
                + " is not set (outside Kubernetes, use --seed)");
      }
      if (!tokenExists) {
        return new Refused(
            who
                + " --discovery kubernetes-api lists the controller pods with the pod's"
                + " ServiceAccount token, and the pod has none"
                + " (automountServiceAccountToken: true)");
      }
      return new Bootstrap(controller);
    }
    if (!seeds.isEmpty()) return new JoinSeeds(seeds);
    if (controller) return new Alone();
    return new Refused(
        "agent needs --seed host:port of a server member, or --discovery kubernetes-api in a pod");
  }
}
