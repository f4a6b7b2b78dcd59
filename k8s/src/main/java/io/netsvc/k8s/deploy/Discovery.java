package io.netsvc.k8s.deploy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netsvc.k8s.deploy.model.Gvk;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which kinds the API server serves, with their plural and scope. Found kinds are cached (as K3s
 * caches positively); a miss asks again, since a CRD may have been created since.
 */
final class Discovery {
  private final KubernetesClient client;
  private final Map<Gvk, ResourceDefinitionContext> known = new HashMap<>();

  Discovery(KubernetesClient client) {
    this.client = client;
  }

  /** The resource of this kind, or empty if the server does not serve it. */
  Optional<ResourceDefinitionContext> find(Gvk gvk) {
    ResourceDefinitionContext cached = known.get(gvk);
    if (cached != null) return Optional.of(cached);
    APIResourceList list = resources(gvk.apiVersion());
    if (list == null || list.getResources() == null) return Optional.empty();
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/")) continue; // a subresource such as services/status
      Gvk g = new Gvk(gvk.group(), gvk.version(), r.getKind());
      known.putIfAbsent(
          g,
          new ResourceDefinitionContext.Builder()
              .withGroup(g.group())
              .withVersion(g.version())
              .withKind(g.kind())
              .withPlural(r.getName())
              .withNamespaced(Boolean.TRUE.equals(r.getNamespaced()))
              .build());
    }
    return Optional.ofNullable(known.get(gvk));
  }

  /** True if discovery lists {@code plural} in {@code apiVersion} right now (no cache). */
  boolean serves(String apiVersion, String plural) {
    APIResourceList list = resources(apiVersion);
    return list != null
        && list.getResources() != null
        && list.getResources().stream().anyMatch(r -> r.getName().equals(plural));
  }

  /** Forgets a kind after the server said it does not know it (its CRD was deleted). */
  void forget(Gvk gvk) {
    known.remove(gvk);
  }

  private APIResourceList resources(String apiVersion) {
    try {
      return client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return null;
      throw e;
    }
  }
}
