package io.netsvc.k8s.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netsvc.k8s.deploy.model.AddonClaim;
import io.netsvc.k8s.deploy.model.Gvk;
import io.netsvc.k8s.deploy.model.Ownership;
import io.netsvc.k8s.records.ObjectRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The {@code k3s.cattle.io/v1 Addon} objects in kube-system: one per manifest file. */
final class Addons {
  static final String API_VERSION = "k3s.cattle.io/v1";
  static final ResourceDefinitionContext RESOURCE =
      new ResourceDefinitionContext.Builder()
          .withGroup("k3s.cattle.io")
          .withVersion("v1")
          .withKind("Addon")
          .withPlural("addons")
          .withNamespaced(true)
          .build();
  private static final String NS = Ownership.ADDON_NAMESPACE;
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  Addons(KubernetesClient client) {
    this.client = client;
  }

  /** Names of all Addons; empty if the CRD is not installed. */
  Set<String> names() {
    try {
      return client.genericKubernetesResources(RESOURCE).inNamespace(NS).list().getItems().stream()
          .map(a -> a.getMetadata().getName())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return Set.of();
      throw e;
    }
  }

  /** The Addon, or null. */
  GenericKubernetesResource get(String name) {
    return client.genericKubernetesResources(RESOURCE).inNamespace(NS).withName(name).get();
  }

  /**
   * The Addon with {@code spec.source = source} and netsvc's copy of it, created now if missing
   * (events need its UID). {@code live} is the Addon as just read (null if none); the caller has
   * decided that netsvc may write it.
   */
  GenericKubernetesResource claim(String name, String source, GenericKubernetesResource live) {
    var addons = client.genericKubernetesResources(RESOURCE).inNamespace(NS);
    if (live == null) {
      GenericKubernetesResource fresh =
          new GenericKubernetesResourceBuilder()
              .withApiVersion(API_VERSION)
              .withKind("Addon")
              .withNewMetadata()
              .withName(name)
              .withNamespace(NS)
              .addToAnnotations(AddonClaim.SOURCE_ANNOTATION, source)
              .endMetadata()
              .build();
      fresh.setAdditionalProperty("spec", Map.of("source", source));
      // 409: created meanwhile, by K3s perhaps; the next pass decides again who holds it
      return addons.resource(fresh).create();
    }
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    if (!source.equals(spec(live).get("source"))
        || annotations == null
        || !source.equals(annotations.get(AddonClaim.SOURCE_ANNOTATION))) {
      Map<String, Object> patch =
          Map.of(
              "metadata",
              Map.of("annotations", Map.of(AddonClaim.SOURCE_ANNOTATION, source)),
              "spec",
              Map.of("source", source));
      live = addons.withName(name).patch(MERGE, json(patch));
    }
    return live;
  }

  /** Who holds the Addon {@code live} (null: none), given netsvc's manifests directory. */
  static AddonClaim.Holder holder(GenericKubernetesResource live, Path manifestsDir) {
    if (live == null) return AddonClaim.Holder.NONE;
    Object source = spec(live).get("source");
    return AddonClaim.of(
        true,
        source == null ? null : source.toString(),
        live.getMetadata().getAnnotations(),
        manifestsDir);
  }

  /** The Addon's {@code spec.source}, or "" for none. */
  static String source(GenericKubernetesResource addon) {
    Object source = addon == null ? null : spec(addon).get("source");
    return source == null ? "" : source.toString();
  }

  /** Records the checksum applied ("" for none) and the kinds applied so far. */
  void record(String name, String checksum, Set<Gvk> kinds) {
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("annotations", Map.of(Gvk.ANNOTATION, Gvk.annotation(kinds))),
            "spec", Map.of("checksum", checksum));
    client
        .genericKubernetesResources(RESOURCE)
        .inNamespace(NS)
        .withName(name)
        .patch(MERGE, json(patch));
  }

  void delete(String name) {
    client.genericKubernetesResources(RESOURCE).inNamespace(NS).withName(name).delete();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource addon) {
    Object spec = addon.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The kinds the Addon has applied, from its annotation; empty for a null Addon. */
  static Set<Gvk> kinds(GenericKubernetesResource addon) {
    if (addon == null || addon.getMetadata().getAnnotations() == null) return new TreeSet<>();
    return new TreeSet<>(
        Gvk.parseAnnotation(addon.getMetadata().getAnnotations().get(Gvk.ANNOTATION)));
  }

  /** What events are about: the Addon, or (before it exists) just its name. */
  static ObjectRef ref(String name, GenericKubernetesResource addon) {
    return addon == null
        ? new ObjectRef(API_VERSION, "Addon", NS, name, null, null)
        : new ObjectRef(
            API_VERSION,
            "Addon",
            NS,
            name,
            addon.getMetadata().getUid(),
            addon.getMetadata().getResourceVersion());
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
