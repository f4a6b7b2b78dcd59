package io.netsvc.k8s.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netsvc.k8s.deploy.model.AddonClaim;
import io.netsvc.k8s.deploy.model.Gvk;
import io.netsvc.k8s.deploy.model.Ownership;
import io.netsvc.k8s.deploy.model.ThreeWayMerge;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the objects of one Addon and finds them again by its hash label. Objects are created, or
 * updated with a three-way JSON merge patch so keys written by others survive (see {@link
 * ThreeWayMerge}); objects of the Addon that the manifest no longer has are pruned.
 */
final class ObjectApplier {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;
  private final Discovery discovery;

  /** What applying a manifest did: the served kinds involved, and one line per failure. */
  record Report(Set<Gvk> gvks, List<String> failures) {}

  /** An object the Addon owns, with the resource it lives in. */
  record Owned(ResourceDefinitionContext resource, GenericKubernetesResource object) {}

  ObjectApplier(KubernetesClient client, Discovery discovery) {
    this.client = client;
    this.discovery = discovery;
  }

  /**
   * Applies every object it can, then prunes objects of kinds in the file or in {@code previous}
   * that carry the Addon's label but are not in the file. Never stops at the first failure.
   */
  Report apply(String addonName, List<GenericKubernetesResource> objects, Set<Gvk> previous) {
    List<String> failures = new ArrayList<>();
    Set<Gvk> kinds = new TreeSet<>(previous);
    Set<String> keep = new HashSet<>();
    for (GenericKubernetesResource o : objects) {
      Gvk gvk = Gvk.of(o.getApiVersion(), o.getKind());
      Optional<ResourceDefinitionContext> res = discovery.find(gvk);
      if (res.isEmpty()) {
        failures.add(
            describe(o, o.getMetadata().getNamespace())
                + ": no matches for kind \""
                + gvk.kind()
                + "\" in version \""
                + gvk.apiVersion()
                + "\"");
        continue;
      }
      kinds.add(gvk);
      String ns = res.get().isNamespaceScoped() ? namespaceOf(o) : null;
      keep.add(key(gvk, ns, o.getMetadata().getName()));
      try {
        applyOne(res.get(), ns, desired(o, ns, addonName));
      } catch (RuntimeException e) {
        failures.add(describe(o, ns) + ": " + message(e));
      }
    }
    Set<Gvk> served = new TreeSet<>();
    for (Owned owned : owned(addonName, kinds, served)) {
      GenericKubernetesResource o = owned.object();
      String ns = o.getMetadata().getNamespace();
      if (keep.contains(key(Gvk.of(o.getApiVersion(), o.getKind()), ns, name(o)))) continue;
      try {
        delete(owned);
      } catch (RuntimeException e) {
        failures.add("prune " + describe(o, ns) + ": " + message(e));
      }
    }
    return new Report(served, failures);
  }

  /**
   * The objects netsvc applied for the Addon: they carry its hash label, name it in their owner
   * annotations and carry netsvc's mark ({@link AddonClaim#netsvcApplied}); of the given kinds that
   * the server serves (those are added to {@code served}). Objects K3s's deployer applied for an
   * Addon of the same name carry the same label, and are never returned.
   */
  List<Owned> owned(String addonName, Collection<Gvk> kinds, Set<Gvk> served) {
    List<Owned> out = new ArrayList<>();
    for (Gvk gvk : kinds) {
      Optional<ResourceDefinitionContext> res = discovery.find(gvk);
      if (res.isEmpty()) continue; // CRD gone: nothing of that kind is left to prune
      served.add(gvk);
      var op = client.genericKubernetesResources(res.get());
      GenericKubernetesResourceList list =
          res.get().isNamespaceScoped()
              ? op.inAnyNamespace()
                  .withLabel(Ownership.HASH_LABEL, Ownership.hash(addonName))
                  .list()
              : op.withLabel(Ownership.HASH_LABEL, Ownership.hash(addonName)).list();
      for (GenericKubernetesResource o : list.getItems()) {
        if (!AddonClaim.netsvcApplied(o.getMetadata().getAnnotations(), addonName)) continue;
        if (o.getApiVersion() == null) o.setApiVersion(gvk.apiVersion());
        if (o.getKind() == null) o.setKind(gvk.kind());
        out.add(new Owned(res.get(), o));
      }
    }
    return out;
  }

  /** Deletes one owned object; false if it was already gone. */
  boolean delete(Owned owned) {
    GenericKubernetesResource o = owned.object();
    var deleted = ref(owned.resource(), o.getMetadata().getNamespace(), name(o)).delete();
    return deleted != null && !deleted.isEmpty();
  }

  private void applyOne(ResourceDefinitionContext res, String ns, ObjectNode desired) {
    String name = desired.path("metadata").path("name").asText();
    Resource<GenericKubernetesResource> ref = ref(res, ns, name);
    for (int attempt = 0; ; attempt++) {
      GenericKubernetesResource live = ref.get();
      if (live == null) {
        try {
          GenericKubernetesResource create =
              JSON.convertValue(desired, GenericKubernetesResource.class);
          client.genericKubernetesResources(res).resource(create).create();
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= 2) throw e; // created meanwhile: patch it instead
          continue;
        }
      }
      Map<String, String> annotations = live.getMetadata().getAnnotations();
      JsonNode last =
          Ownership.decodeApplied(annotations == null ? null : annotations.get(Ownership.APPLIED));
      ObjectNode patch = ThreeWayMerge.patch(last, desired, JSON.valueToTree(live));
      if (patch.isEmpty()) return;
      try {
        ref.patch(MERGE, JSON.writeValueAsString(patch));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
  }

  // Namespaced kinds default to "default" as kubectl/wrangler do; cluster-scoped lose any
  // namespace. Server-set fields of an exported object would make every patch a conflict: dropped.
  private static ObjectNode desired(GenericKubernetesResource o, String ns, String addonName) {
    ObjectNode node = JSON.valueToTree(o);
    ObjectNode meta = node.withObjectProperty("metadata");
    meta.remove(List.of("resourceVersion", "uid", "generation", "managedFields", "selfLink"));
    if (ns == null) meta.remove("namespace");
    else meta.put("namespace", ns);
    // inside the applied state, so a deployer that takes the object over drops the mark
    if (meta.path("annotations").isNull()) meta.remove("annotations");
    meta.withObjectProperty("annotations").put(AddonClaim.APPLIED_BY, AddonClaim.NETSVC);
    return Ownership.decorate(node, addonName);
  }

  private Resource<GenericKubernetesResource> ref(
      ResourceDefinitionContext res, String ns, String name) {
    var op = client.genericKubernetesResources(res);
    return ns == null ? op.withName(name) : op.inNamespace(ns).withName(name);
  }

  private static String namespaceOf(GenericKubernetesResource o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  private static String name(GenericKubernetesResource o) {
    return o.getMetadata().getName();
  }

  private static String key(Gvk gvk, String ns, String name) {
    return gvk.groupKind() + "/" + (ns == null ? "" : ns) + "/" + name;
  }

  static String describe(GenericKubernetesResource o, String ns) {
    String where = ns == null || ns.isEmpty() ? "" : ns + "/";
    return o.getKind() + " " + where + name(o);
  }

  /** The API server's own message (one line), not fabric8's wrapper text. */
  static String message(RuntimeException e) {
    String m =
        e instanceof KubernetesClientException k
                && k.getStatus() != null
                && k.getStatus().getMessage() != null
            ? k.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    return m.replaceAll("\\s+", " ").strip();
  }
}
