package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Pods: the spec's defaults, what the built-in admission plugins add on create
 * (DefaultTolerationSeconds' not-ready/unreachable tolerations, Priority's priority from the
 * built-in classes, ServiceAccount's {@code default} account) and the update rule that a pod's spec
 * is fixed once created but for a few fields.
 */
public final class PodRules {
  private PodRules() {}

  /** The priority classes every cluster has; any other name is refused (none can be created). */
  static final Map<String, Integer> PRIORITY_CLASSES =
      Map.of("system-node-critical", 2000001000, "system-cluster-critical", 2000000000);

  static final String UPDATE_FORBIDDEN =
      "pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only"
          + " additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to"
          + " be set to 1 if it was previously negative)";

  static void defaults(ObjectNode pod, boolean create) {
    ObjectNode spec = Fields.object(pod, "spec");
    PodSpecs.defaults(spec);
    if (!create) return;
    Fields.defaultText(spec, "serviceAccountName", "default");
    Fields.defaultText(spec, "serviceAccount", Fields.text(spec, "serviceAccountName"));
    for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
      if (!tolerates(spec, key)) {
        ArrayNode t = spec.has("tolerations") ? (ArrayNode) spec.get("tolerations") : null;
        if (t == null) t = spec.putArray("tolerations");
        t.addObject()
            .put("key", key)
            .put("operator", "Exists")
            .put("effect", "NoExecute")
            .put("tolerationSeconds", 300);
      }
    }
    Integer priority = PRIORITY_CLASSES.get(Fields.text(spec, "priorityClassName"));
    if (!spec.has("priority")) spec.put("priority", priority == null ? 0 : priority);
    Fields.defaultText(spec, "preemptionPolicy", "PreemptLowerPriority");
    ObjectNode status = Fields.object(pod, "status");
    Fields.defaultText(status, "phase", "Pending");
  }

  // a toleration of the key's NoExecute taint already there (or one of every taint)
  private static boolean tolerates(ObjectNode spec, String key) {
    if (!spec.path("tolerations").isArray()) return false;
    for (JsonNode t : spec.get("tolerations")) {
      String k = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      boolean exists = t.path("operator").asText("").equals("Exists");
      if ((k.equals(key) || (k.isEmpty() && exists))
          && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return true;
      }
    }
    return false;
  }

  /** The errors that forbid the write (403) rather than make the object invalid (422). */
  static String forbidden(ObjectNode pod) {
    String pc = Fields.text(pod.path("spec"), "priorityClassName");
    if (!pc.isEmpty() && !PRIORITY_CLASSES.containsKey(pc)) {
      return "no PriorityClass with name " + pc + " was found";
    }
    return null;
  }

  static void validate(ObjectNode pod, ObjectNode old, List<FieldError> out) {
    PodSpecs.validate("spec", pod.get("spec"), out);
    if (old == null) return;
    ObjectNode a = comparable(old.path("spec"), null);
    ObjectNode b = comparable(pod.path("spec"), old.path("spec"));
    if (!a.equals(b)) out.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN));
  }

  // the spec without what an update may change; nodeName may be set once (the sim's scheduler
  // binds by an update, where kube-scheduler uses the binding subresource)
  private static ObjectNode comparable(JsonNode spec, JsonNode oldSpec) {
    ObjectNode s =
        spec.isObject()
            ? ((ObjectNode) spec).deepCopy()
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    s.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    s.remove("schedulingGates");
    if (oldSpec != null && Fields.text(oldSpec, "nodeName").isEmpty()) s.remove("nodeName");
    if (oldSpec == null && Fields.text(spec, "nodeName").isEmpty()) s.remove("nodeName");
    for (String list : List.of("containers", "initContainers")) {
      for (ObjectNode c : Fields.objects(s, list)) c.remove("image");
    }
    return s;
  }
}
