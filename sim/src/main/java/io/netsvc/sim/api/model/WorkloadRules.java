package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * DaemonSets and Deployments (apps/v1): their defaults ({@code SetDefaults_DaemonSet}, {@code
 * SetDefaults_Deployment}, the template's pod spec) and validation: a selector is required, must
 * select the template's labels, and is immutable; the template's pods restart Always.
 */
public final class WorkloadRules {
  private WorkloadRules() {}

  static void daemonSetDefaults(ObjectNode ds) {
    ObjectNode spec = Fields.object(ds, "spec");
    ObjectNode strategy = Fields.object(spec, "updateStrategy");
    Fields.defaultText(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rolling = Fields.object(strategy, "rollingUpdate");
      if (!rolling.hasNonNull("maxUnavailable")) rolling.put("maxUnavailable", 1);
      if (!rolling.hasNonNull("maxSurge")) rolling.put("maxSurge", 0);
    }
    Fields.defaultInt(spec, "revisionHistoryLimit", 10);
    template(spec);
  }

  static void deploymentDefaults(ObjectNode d) {
    ObjectNode spec = Fields.object(d, "spec");
    Fields.defaultInt(spec, "replicas", 1);
    ObjectNode strategy = Fields.object(spec, "strategy");
    Fields.defaultText(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rolling = Fields.object(strategy, "rollingUpdate");
      if (!rolling.hasNonNull("maxUnavailable")) rolling.put("maxUnavailable", "25%");
      if (!rolling.hasNonNull("maxSurge")) rolling.put("maxSurge", "25%");
    }
    Fields.defaultInt(spec, "revisionHistoryLimit", 10);
    Fields.defaultInt(spec, "progressDeadlineSeconds", 600);
    template(spec);
  }

  private static void template(ObjectNode spec) {
    JsonNode t = spec.get("template");
    if (t instanceof ObjectNode template) PodSpecs.defaults(Fields.object(template, "spec"));
  }

  static void validate(boolean daemonSet, ObjectNode obj, ObjectNode old, List<FieldError> out) {
    JsonNode spec = obj.path("spec");
    JsonNode selector = spec.get("selector");
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    if (selector == null || selector.isNull()) {
      out.add(FieldError.required("spec.selector"));
    } else if (selector.path("matchLabels").isEmpty()
        && selector.path("matchExpressions").isEmpty()) {
      out.add(
          FieldError.invalid(
              "spec.selector", selector, "empty selector is invalid for " + kind(daemonSet)));
    } else if (!Selectors.matches(selector, labels)) {
      out.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              labels,
              "`selector` does not match template `labels`"));
    }
    Names.selector("spec.selector", selector, out);
    Names.labels("spec.template.metadata.labels", labels, out);
    PodSpecs.validate("spec.template.spec", spec.path("template").get("spec"), out);
    JsonNode restart = spec.path("template").path("spec").get("restartPolicy");
    if (restart != null && !restart.asText().equals("Always")) {
      out.add(
          FieldError.unsupported("spec.template.spec.restartPolicy", restart, List.of("Always")));
    }
    if (!daemonSet) Fields.nonNegative(spec, "replicas", "spec.replicas", out);
    Fields.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", out);
    JsonNode strategy = daemonSet ? spec.path("updateStrategy") : spec.path("strategy");
    String type = strategy.path("type").asText("");
    List<String> types =
        daemonSet ? List.of("OnDelete", "RollingUpdate") : List.of("Recreate", "RollingUpdate");
    if (!type.isEmpty() && !types.contains(type)) {
      out.add(
          FieldError.unsupported(
              daemonSet ? "spec.updateStrategy.type" : "spec.strategy.type",
              strategy.get("type"),
              types));
    }
    if (old != null && selector != null && !selector.equals(old.path("spec").path("selector"))) {
      out.add(FieldError.immutable("spec.selector", selector));
    }
  }

  private static String kind(boolean daemonSet) {
    return daemonSet ? "daemonset" : "deployment";
  }

  /** A LabelSelector (matchLabels and matchExpressions) against a label map. */
  static final class Selectors {
    private Selectors() {}

    static boolean matches(JsonNode selector, JsonNode labels) {
      for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
        if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
      }
      for (JsonNode r : selector.path("matchExpressions")) {
        String key = r.path("key").asText();
        boolean has = labels.has(key);
        String value = labels.path(key).asText("");
        boolean in = false;
        for (JsonNode v : r.path("values")) in |= v.asText().equals(value);
        boolean ok =
            switch (r.path("operator").asText()) {
              case "In" -> has && in;
              case "NotIn" -> !has || !in;
              case "Exists" -> has;
              case "DoesNotExist" -> !has;
              default -> false;
            };
        if (!ok) return false;
      }
      return true;
    }
  }
}
