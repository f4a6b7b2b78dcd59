package io.netsvc.chaos;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The chaos cases' view of LoadBalancer Services in {@code default}, read from the sim's API. */
final class LbServices {
  private LbServices() {}

  /** The Service {@code default/name}, null if there is none. */
  static Service get(KubernetesClient api, String name) {
    return api.services().inNamespace("default").withName(name).get();
  }

  /** The ingress IPs of {@code default/name}; empty if it has none (or does not exist). */
  static List<String> ingress(KubernetesClient api, String name) {
    Service s = get(api, name);
    if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    List<LoadBalancerIngress> in = s.getStatus().getLoadBalancer().getIngress();
    return in == null ? List.of() : in.stream().map(LoadBalancerIngress::getIp).toList();
  }

  /**
   * Creates {@code count} Services {@code stable-i} (port 8100 + i) that no case deletes, and waits
   * until each has ingress on all {@code nodes}; returns their {@code default/stable-i} keys.
   */
  static Set<String> createStable(ProcessCluster cluster, int count, int nodes) {
    KubernetesClient api = cluster.client();
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) {
      api.services().resource(Burst.lb("default", "stable-" + i, 8100 + i)).create();
      keys.add("default/stable-" + i);
    }
    await("the stable Services' ingress on all nodes (logs: " + cluster.logs() + ")")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                keys.stream()
                    .allMatch(k -> ingress(api, k.substring("default/".length())).size() == nodes));
    return keys;
  }
}
