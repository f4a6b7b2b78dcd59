package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What kube-apiserver does to a write of a built-in kind before it stores it: defaulting (the
 * versioned defaults of core/v1, apps/v1, networking/v1, discovery/v1), the built-in admission
 * plugins that change objects (DefaultTolerationSeconds, Priority, ServiceAccount's account name,
 * the namespace label) and validation, with the Service registry's update rules in between. Kinds
 * not listed here pass unchanged. Allocation (ClusterIPs, NodePorts) and NamespaceLifecycle need
 * the store and live with the API.
 */
public final class Admission {
  private Admission() {}

  /** What became of a write: forbidden (403, with a message), invalid (422) or admitted. */
  public record Verdict(String forbidden, List<FieldError> errors) {
    public boolean admitted() {
      return forbidden == null && errors.isEmpty();
    }
  }

  private static final Map<String, String> KINDS =
      Map.of(
          "/namespaces", "Namespace",
          "/services", "Service",
          "/pods", "Pod",
          "apps/daemonsets", "DaemonSet",
          "apps/deployments", "Deployment",
          "networking.k8s.io/networkpolicies", "NetworkPolicy",
          "discovery.k8s.io/endpointslices", "EndpointSlice",
          "/events", "Event",
          "events.k8s.io/events", "Event",
          "coordination.k8s.io/leases", "Lease");

  /** The kind this admission knows {@code group/plural} as, or null when it passes unchanged. */
  public static String kind(String group, String plural) {
    return KINDS.get(group + "/" + plural);
  }

  /**
   * Defaults {@code obj} in place and checks it. {@code old} is the stored object for an update
   * (null on create); {@code statusOnly} for a write of the status subresource (only defaulted).
   */
  public static Verdict admit(
      String group, String plural, ObjectNode obj, ObjectNode old, boolean statusOnly) {
    String key = group + "/" + plural;
    String kind = KINDS.get(key);
    List<FieldError> out = new ArrayList<>();
    if (kind == null) return new Verdict(null, out);
    boolean create = old == null;
    switch (key) {
      case "/namespaces" -> MetaRules.namespaceDefaults(obj, create);
      case "/services" -> {
        if (!create) ServiceRules.keepAllocated(obj, old);
        ServiceRules.defaults(obj);
      }
      case "/pods" -> PodRules.defaults(obj, create);
      case "apps/daemonsets" -> WorkloadRules.daemonSetDefaults(obj);
      case "apps/deployments" -> WorkloadRules.deploymentDefaults(obj);
      case "networking.k8s.io/networkpolicies" -> NetworkRules.policyDefaults(obj);
      case "discovery.k8s.io/endpointslices" -> NetworkRules.sliceDefaults(obj);
      default -> {}
    }
    if (statusOnly) return new Verdict(null, out);
    if (key.equals("/pods") && create) {
      String why = PodRules.forbidden(obj);
      if (why != null) return new Verdict(why, out);
    }
    ObjectNode meta = Fields.object(obj, "metadata");
    String name = Fields.text(meta, "name");
    if (!key.equals("/namespaces") && !key.equals("/services") && !name.isEmpty()) {
      Names.subdomain("metadata.name", name, out);
    }
    Names.labels("metadata.labels", meta.get("labels"), out);
    switch (key) {
      case "/namespaces" -> MetaRules.validateNamespace(obj, out);
      case "/services" -> ServiceRules.validate(obj, old, out);
      case "/pods" -> PodRules.validate(obj, old, out);
      case "apps/daemonsets" -> WorkloadRules.validate(true, obj, old, out);
      case "apps/deployments" -> WorkloadRules.validate(false, obj, old, out);
      case "networking.k8s.io/networkpolicies" -> NetworkRules.validatePolicy(obj, out);
      case "discovery.k8s.io/endpointslices" -> NetworkRules.validateSlice(obj, old, out);
      case "/events" -> MetaRules.validateEvent(false, obj, out);
      case "events.k8s.io/events" -> MetaRules.validateEvent(true, obj, out);
      case "coordination.k8s.io/leases" -> MetaRules.validateLease(obj, out);
      default -> {}
    }
    return new Verdict(null, out);
  }

  /** {@code Kind "name" is invalid: error} (several: {@code [e1, e2]}), as kube-apiserver says. */
  public static String invalidMessage(String kind, String name, List<FieldError> errors) {
    String all =
        errors.size() == 1
            ? errors.get(0).message()
            : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
    return kind + " \"" + name + "\" is invalid: " + all;
  }

  /** The {@code details} of the 422 Status: name, group, kind and one cause per error. */
  public static ObjectNode details(
      String group, String kind, String name, List<FieldError> errors) {
    ObjectNode d = JsonNodeFactory.instance.objectNode().put("name", name);
    if (!group.isEmpty()) d.put("group", group);
    d.put("kind", kind);
    ArrayNode causes = d.putArray("causes");
    for (FieldError e : errors) {
      String m = e.message();
      String bare = m.startsWith(e.field() + ": ") ? m.substring(e.field().length() + 2) : m;
      causes.addObject().put("reason", e.reason()).put("message", bare).put("field", e.field());
    }
    return d;
  }
}
