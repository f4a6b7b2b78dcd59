package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Namespaces, Events (core/v1 and events.k8s.io/v1) and Leases. */
public final class MetaRules {
  private MetaRules() {}

  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  /**
   * The label with its own name (always, as kube-apiserver sets it), the {@code kubernetes}
   * finalizer that the namespace controller removes once the namespace is empty, phase Active.
   */
  static void namespaceDefaults(ObjectNode ns, boolean create) {
    ObjectNode meta = Fields.object(ns, "metadata");
    Fields.object(meta, "labels").put(NAME_LABEL, Fields.text(meta, "name"));
    ObjectNode spec = Fields.object(ns, "spec");
    if (create && Fields.isEmptyArray(spec, "finalizers"))
      spec.putArray("finalizers").add("kubernetes");
    Fields.defaultText(Fields.object(ns, "status"), "phase", "Active");
  }

  static void validateNamespace(ObjectNode ns, List<FieldError> out) {
    Names.label("metadata.name", Fields.text(ns.path("metadata"), "name"), out);
  }

  static void validateEvent(boolean eventsApi, ObjectNode e, List<FieldError> out) {
    String ns = Fields.text(e.path("metadata"), "namespace");
    JsonNode regarding = eventsApi ? e.path("regarding") : e.path("involvedObject");
    String field = eventsApi ? "regarding.namespace" : "involvedObject.namespace";
    String about = Fields.text(regarding, "namespace");
    if (about.isEmpty()) {
      // an event about a cluster-scoped object lives in "default" (or no namespace)
      if (!ns.isEmpty() && !ns.equals("default")) {
        out.add(
            FieldError.invalid(
                field, regarding.path("namespace"), "does not match event.namespace"));
      }
    } else if (!about.equals(ns)) {
      out.add(
          FieldError.invalid(field, regarding.get("namespace"), "does not match event.namespace"));
    }
    if (!eventsApi) return;
    if (Fields.unset(e, "eventTime")) out.add(FieldError.required("eventTime"));
    for (String f : List.of("reportingController", "reportingInstance", "action", "reason")) {
      if (Fields.unset(e, f)) out.add(FieldError.required(f));
    }
    JsonNode type = e.get("type");
    if (type == null || !List.of("Normal", "Warning").contains(type.asText())) {
      out.add(FieldError.unsupported("type", type, List.of("Normal", "Warning")));
    }
    if (Fields.text(e, "note").length() > 1024) {
      out.add(FieldError.invalid("note", "\"...\"", "can have at most 1024 characters"));
    }
  }

  static void validateLease(ObjectNode lease, List<FieldError> out) {
    JsonNode spec = lease.path("spec");
    JsonNode d = spec.get("leaseDurationSeconds");
    if (d != null && d.isNumber() && d.asLong() <= 0) {
      out.add(FieldError.invalid("spec.leaseDurationSeconds", d, "must be greater than 0"));
    }
    Fields.nonNegative(spec, "leaseTransitions", "spec.leaseTransitions", out);
  }
}
