package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsvc.sim.api.model.Admission;
import io.netsvc.sim.api.model.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The API server's side of a write, between the request and the store: NamespaceLifecycle (no new
 * objects in a missing or terminating namespace; the initial namespaces cannot be deleted; a
 * deleted namespace is emptied and goes once its content is gone), defaulting and validation of the
 * built-in kinds ({@link Admission}) and the Service allocators. Every method runs inside the
 * store's monitor, so what it checks still holds when the store writes.
 */
final class Admitter {
  static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

  private final SimStore store;
  private final ServiceAllocations services = new ServiceAllocations();
  private final Set<String> terminating = new HashSet<>();

  Admitter(SimStore store) {
    this.store = store;
  }

  /** A create (or, with {@code dryRun}, only its checks and defaults). */
  SimStore.Result create(
      ResourcePath rp, ObjectNode body, boolean keepStatusApart, boolean dryRun) {
    synchronized (store) {
      String name = body.path("metadata").path("name").asText("");
      if (!rp.namespace().isEmpty()) {
        SimStore.Result refused = namespaceLifecycle(rp, name);
        if (refused != null) return refused;
      }
      ResourcePath at = at(rp, name);
      String kind = Admission.kind(rp.group(), rp.plural());
      boolean exists = !name.isEmpty() && store.get(at).isPresent();
      if (kind != null && !exists) {
        if (!rp.namespace().isEmpty()) object(body, "metadata").put("namespace", rp.namespace());
        SimStore.Result refused = admit(rp, kind, name, body, null);
        if (refused != null) return refused;
      }
      boolean service = isService(rp) && !exists && !name.isEmpty();
      ServiceAllocations.Held held = service ? services.hold(owner(at)) : null;
      if (service) {
        List<FieldError> errors = services.allocate(owner(at), (ObjectNode) body.path("spec"));
        if (!errors.isEmpty()) return invalid(rp, "Service", name, errors);
      }
      if (dryRun) {
        if (service) services.restore(owner(at), held);
        return exists ? alreadyExists(rp, name) : new SimStore.Result(201, body);
      }
      SimStore.Result r = store.create(rp, body, keepStatusApart);
      if (service && r.code() >= 300) services.restore(owner(at), held);
      return r;
    }
  }

  /** An update of the object or its status (or, with {@code dryRun}, only its checks). */
  SimStore.Result update(
      ResourcePath rp,
      ObjectNode body,
      boolean statusOnly,
      boolean keepStatusApart,
      boolean dryRun) {
    synchronized (store) {
      Optional<String> stored = store.get(rp);
      String kind = Admission.kind(rp.group(), rp.plural());
      boolean service = isService(rp) && stored.isPresent() && !statusOnly;
      ServiceAllocations.Held held = service ? services.hold(owner(rp)) : null;
      if (kind != null && stored.isPresent() && !statusOnly) {
        ObjectNode old = (ObjectNode) Json.parse(stored.get());
        object(body, "metadata").put("name", rp.name());
        if (!rp.namespace().isEmpty()) object(body, "metadata").put("namespace", rp.namespace());
        SimStore.Result refused = admit(rp, kind, rp.name(), body, old);
        if (refused != null) return refused;
        if (service) {
          List<FieldError> errors = services.allocate(owner(rp), (ObjectNode) body.path("spec"));
          if (!errors.isEmpty()) return invalid(rp, kind, rp.name(), errors);
        }
      }
      if (dryRun) {
        if (service) services.restore(owner(rp), held);
        return stored.isEmpty()
            ? new SimStore.Result(404, ApiStatus.notFound(rp.plural(), rp.name()))
            : new SimStore.Result(200, body);
      }
      SimStore.Result r = store.update(rp, body, statusOnly, keepStatusApart);
      if (service && r.code() >= 300) services.restore(owner(rp), held);
      gone(rp);
      return r;
    }
  }

  /** A DELETE of one object; a namespace turns Terminating and is emptied. */
  SimStore.Result delete(ResourcePath rp) {
    synchronized (store) {
      if (rp.group().isEmpty() && rp.plural().equals("namespaces")) return deleteNamespace(rp);
      SimStore.Result r = store.delete(rp);
      gone(rp);
      return r;
    }
  }

  private SimStore.Result deleteNamespace(ResourcePath rp) {
    if (IMMORTAL.contains(rp.name())) {
      return new SimStore.Result(
          403,
          ApiStatus.failure(
              403,
              "Forbidden",
              "namespaces \"" + rp.name() + "\" is forbidden: this namespace may not be deleted"));
    }
    SimStore.Result r = store.mark(rp, ns -> object(ns, "status").put("phase", "Terminating"));
    if (r.code() != 200) return r;
    terminating.add(rp.name());
    // the namespace controller: everything in it is deleted (objects with finalizers wait for
    // theirs), and the namespace goes when nothing is left
    for (ResourcePath content : store.contents(rp.name())) {
      store.delete(content);
      gone(content);
    }
    finalizeIfEmpty(rp.name());
    return store.get(rp).map(s -> new SimStore.Result(200, Json.parse(s))).orElse(r);
  }

  // after a write that may have removed the object: free a Service's allocations, finish a
  // terminating namespace that is now empty
  private void gone(ResourcePath rp) {
    if (store.get(rp).isPresent()) return;
    if (isService(rp)) services.release(owner(rp));
    if (!rp.namespace().isEmpty() && terminating.contains(rp.namespace())) {
      finalizeIfEmpty(rp.namespace());
    }
  }

  private void finalizeIfEmpty(String namespace) {
    if (!store.contents(namespace).isEmpty()) return;
    ResourcePath ns = new ResourcePath("", "v1", "", "namespaces", namespace, "", "", Map.of());
    Optional<String> stored = store.get(ns);
    terminating.remove(namespace);
    if (stored.isEmpty()) return;
    ObjectNode done = (ObjectNode) Json.parse(stored.get());
    object(done, "spec").putArray("finalizers");
    store.update(ns, done, false, false);
  }

  private SimStore.Result namespaceLifecycle(ResourcePath rp, String name) {
    ResourcePath ns =
        new ResourcePath("", "v1", "", "namespaces", rp.namespace(), "", "", Map.of());
    Optional<String> stored = store.get(ns);
    if (stored.isEmpty()) {
      return new SimStore.Result(404, ApiStatus.notFound("namespaces", rp.namespace()));
    }
    JsonNode n = Json.parse(stored.get());
    boolean ending =
        !n.path("metadata").path("deletionTimestamp").isMissingNode()
            || n.path("status").path("phase").asText("").equals("Terminating");
    if (!ending) return null;
    String message =
        rp.plural()
            + " \""
            + name
            + "\" is forbidden: unable to create new content in namespace "
            + rp.namespace()
            + " because it is being terminated";
    ObjectNode status = ApiStatus.failure(403, "Forbidden", message);
    ObjectNode details = status.putObject("details").put("name", name).put("kind", rp.plural());
    details
        .putArray("causes")
        .addObject()
        .put("reason", "NamespaceTerminating")
        .put("message", "namespace " + rp.namespace() + " is being terminated")
        .put("field", "metadata.namespace");
    return new SimStore.Result(403, status);
  }

  private static SimStore.Result admit(
      ResourcePath rp, String kind, String name, ObjectNode body, ObjectNode old) {
    Admission.Verdict v = Admission.admit(rp.group(), rp.plural(), body, old, false);
    if (v.forbidden() != null) {
      return new SimStore.Result(
          403,
          ApiStatus.failure(
              403, "Forbidden", rp.plural() + " \"" + name + "\" is forbidden: " + v.forbidden()));
    }
    return v.errors().isEmpty() ? null : invalid(rp, kind, name, v.errors());
  }

  private static SimStore.Result invalid(
      ResourcePath rp, String kind, String name, List<FieldError> errors) {
    ObjectNode status =
        ApiStatus.failure(422, "Invalid", Admission.invalidMessage(kind, name, errors));
    status.set("details", Admission.details(rp.group(), kind, name, errors));
    return new SimStore.Result(422, status);
  }

  private static SimStore.Result alreadyExists(ResourcePath rp, String name) {
    return new SimStore.Result(
        409,
        ApiStatus.failure(409, "AlreadyExists", rp.plural() + " \"" + name + "\" already exists"));
  }

  private static boolean isService(ResourcePath rp) {
    return rp.group().isEmpty() && rp.plural().equals("services");
  }

  private static String owner(ResourcePath rp) {
    return rp.namespace() + "/" + rp.name();
  }

  private static ResourcePath at(ResourcePath rp, String name) {
    return new ResourcePath(
        rp.group(), rp.version(), rp.namespace(), rp.plural(), name, "", rp.rawPath(), Map.of());
  }

  private static ObjectNode object(ObjectNode o, String field) {
    return o.get(field) instanceof ObjectNode child ? child : o.putObject(field);
  }
}
