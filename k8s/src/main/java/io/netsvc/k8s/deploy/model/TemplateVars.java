package io.netsvc.k8s.deploy.model;

import io.netsvc.config.DeploySettings;
import java.util.List;
import java.util.Map;

/**
 * The values K3s substitutes into its packaged manifests when it stages them. {@code
 * %{KUBERNETES_API}%} is deliberately left alone: the Helm job replaces it at run time.
 *
 * @param clusterDns cluster DNS service IPs, primary first (at least one)
 * @param clusterDomain e.g. {@code cluster.local}
 * @param systemDefaultRegistry registry prefixed to system images, empty for none
 */
public record TemplateVars(
    List<String> clusterDns, String clusterDomain, String systemDefaultRegistry) {

  public TemplateVars {
    clusterDns = List.copyOf(clusterDns);
    if (clusterDns.isEmpty()) throw new IllegalArgumentException("at least one cluster DNS IP");
    if (clusterDomain == null || clusterDomain.isEmpty()) {
      throw new IllegalArgumentException("cluster domain must not be empty");
    }
    systemDefaultRegistry = systemDefaultRegistry == null ? "" : systemDefaultRegistry;
  }

  /**
   * The values of {@code --cluster-dns}, {@code --cluster-domain}, {@code
   * --system-default-registry}.
   */
  public static TemplateVars of(DeploySettings settings) {
    return new TemplateVars(
        settings.clusterDns(), settings.clusterDomain(), settings.systemDefaultRegistry());
  }

  /** Placeholder → value. */
  public Map<String, String> values() {
    return Map.of(
        "%{CLUSTER_DNS}%",
        clusterDns.get(0),
        "%{CLUSTER_DNS_LIST}%",
        "[" + String.join(",", clusterDns) + "]",
        "%{CLUSTER_DNS_IPFAMILYPOLICY}%",
        clusterDns.size() > 1 ? "RequireDualStack" : "SingleStack",
        "%{CLUSTER_DOMAIN}%",
        clusterDomain,
        "%{SYSTEM_DEFAULT_REGISTRY}%",
        systemDefaultRegistry.isEmpty() ? "" : systemDefaultRegistry + "/",
        "%{SYSTEM_DEFAULT_REGISTRY_RAW}%",
        systemDefaultRegistry);
  }

  /** The template with every known placeholder replaced (plain text replace, as K3s does). */
  public String render(String template) {
    String out = template;
    for (Map.Entry<String, String> e : values().entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }
}
