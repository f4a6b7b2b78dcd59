package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: core/v1's defaults ({@code SetDefaults_Service}), what the Service registry does on an
 * update before it validates (keeps allocated ClusterIPs and NodePorts that an update leaves out,
 * drops the fields a new type no longer uses) and validation. Allocation itself is stateful and
 * lives with the API ({@code ServiceAllocations}); these functions say what a Service needs.
 */
public final class ServiceRules {
  private ServiceRules() {}

  static final List<String> TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  static final List<String> POLICIES = List.of("Cluster", "Local");
  static final List<String> FAMILY_POLICIES =
      List.of("PreferDualStack", "RequireDualStack", "SingleStack");

  public static String type(JsonNode spec) {
    String t = Fields.text(spec, "type");
    return t.isEmpty() ? "ClusterIP" : t;
  }

  public static boolean headless(JsonNode spec) {
    return Fields.text(spec, "clusterIP").equals("None");
  }

  public static boolean needsClusterIP(JsonNode spec) {
    return !type(spec).equals("ExternalName");
  }

  public static boolean needsNodePorts(JsonNode spec) {
    String t = type(spec);
    return t.equals("NodePort")
        || (t.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
  }

  public static boolean needsHealthCheckNodePort(JsonNode spec) {
    return type(spec).equals("LoadBalancer")
        && Fields.text(spec, "externalTrafficPolicy").equals("Local");
  }

  static void defaults(ObjectNode svc) {
    ObjectNode spec = Fields.object(svc, "spec");
    Fields.defaultText(spec, "sessionAffinity", "None");
    Fields.defaultText(spec, "type", "ClusterIP");
    String type = type(spec);
    if (spec.path("sessionAffinity").asText().equals("ClientIP")) {
      ObjectNode clientIP = Fields.object(Fields.object(spec, "sessionAffinityConfig"), "clientIP");
      Fields.defaultInt(clientIP, "timeoutSeconds", 10800);
    }
    for (ObjectNode p : Fields.objects(spec, "ports")) {
      Fields.defaultText(p, "protocol", "TCP");
      JsonNode target = p.get("targetPort");
      if (target == null
          || target.isNull()
          || target.asText("").equals("0")
          || target.asText("").isEmpty()) {
        if (p.has("port")) p.set("targetPort", p.get("port"));
      }
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      Fields.defaultText(spec, "externalTrafficPolicy", "Cluster");
    }
    if (!type.equals("ExternalName")) Fields.defaultText(spec, "internalTrafficPolicy", "Cluster");
    if (type.equals("LoadBalancer"))
      Fields.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
  }

  /**
   * The IP families a Service gets (before allocation): from its ClusterIPs when it names them,
   * else from its ipFamilies and ipFamilyPolicy; headless Services without a selector are dual
   * stack, as on a dual-stack cluster (the sim allocates IPv4 and IPv6 ClusterIPs).
   */
  public static List<String> families(JsonNode spec) {
    List<String> given = new ArrayList<>();
    for (JsonNode ip : spec.path("clusterIPs")) {
      if (!ip.asText().equals("None") && !ip.asText().isEmpty()) {
        given.add(ip.asText().contains(":") ? "IPv6" : "IPv4");
      }
    }
    if (given.isEmpty()) spec.path("ipFamilies").forEach(f -> given.add(f.asText()));
    if (given.isEmpty() && !Fields.text(spec, "clusterIP").isEmpty() && !headless(spec)) {
      given.add(Fields.text(spec, "clusterIP").contains(":") ? "IPv6" : "IPv4");
    }
    String policy = familyPolicy(spec);
    String first = given.isEmpty() ? "IPv4" : given.get(0);
    if (policy.equals("SingleStack")) return List.of(first);
    return List.of(first, first.equals("IPv4") ? "IPv6" : "IPv4");
  }

  /** The ipFamilyPolicy a Service gets when it sets none. */
  public static String familyPolicy(JsonNode spec) {
    String p = Fields.text(spec, "ipFamilyPolicy");
    if (!p.isEmpty()) return p;
    if (headless(spec) && spec.path("selector").isEmpty()) return "RequireDualStack";
    int given = Math.max(spec.path("ipFamilies").size(), spec.path("clusterIPs").size());
    return given > 1 ? "RequireDualStack" : "SingleStack";
  }

  /**
   * An update's Service as the registry prepares it: allocated values the update left out are kept,
   * fields of the old type that the new type does not use (and the update did not change) are
   * dropped.
   */
  static void keepAllocated(ObjectNode svc, ObjectNode old) {
    ObjectNode spec = Fields.object(svc, "spec");
    JsonNode before = old.path("spec");
    if (needsClusterIP(before) && needsClusterIP(spec)) {
      if (Fields.unset(spec, "clusterIP") && before.has("clusterIP")) {
        spec.set("clusterIP", before.get("clusterIP"));
      }
      if (Fields.isEmptyArray(spec, "clusterIPs")
          && Fields.text(spec, "clusterIP").equals(Fields.text(before, "clusterIP"))
          && before.has("clusterIPs")) {
        spec.set("clusterIPs", before.get("clusterIPs"));
      }
      if (spec.path("clusterIPs").equals(before.path("clusterIPs"))) {
        if (Fields.isEmptyArray(spec, "ipFamilies") && before.has("ipFamilies")) {
          spec.set("ipFamilies", before.get("ipFamilies"));
        }
        if (Fields.unset(spec, "ipFamilyPolicy") && before.has("ipFamilyPolicy")) {
          spec.set("ipFamilyPolicy", before.get("ipFamilyPolicy"));
        }
      }
    }
    if (needsNodePorts(before) && needsNodePorts(spec)) {
      for (ObjectNode p : Fields.objects(spec, "ports")) {
        if (p.path("nodePort").asInt(0) != 0) continue;
        JsonNode was = samePort(before, p);
        if (was != null && was.path("nodePort").asInt(0) != 0)
          p.set("nodePort", was.get("nodePort"));
      }
    }
    if (needsHealthCheckNodePort(before)
        && needsHealthCheckNodePort(spec)
        && spec.path("healthCheckNodePort").asInt(0) == 0
        && before.has("healthCheckNodePort")) {
      spec.set("healthCheckNodePort", before.get("healthCheckNodePort"));
    }
    dropTypeDependent(spec, before);
  }

  private static void dropTypeDependent(ObjectNode spec, JsonNode before) {
    if (needsNodePorts(before) && !needsNodePorts(spec)) {
      for (ObjectNode p : Fields.objects(spec, "ports")) {
        JsonNode was = samePort(before, p);
        if (was != null && was.path("nodePort").equals(p.path("nodePort"))) p.remove("nodePort");
      }
    }
    if (!needsHealthCheckNodePort(spec) && unchanged(spec, before, "healthCheckNodePort")) {
      spec.remove("healthCheckNodePort");
    }
    boolean lb = type(spec).equals("LoadBalancer");
    for (String f : List.of("allocateLoadBalancerNodePorts", "loadBalancerClass")) {
      if (!lb && unchanged(spec, before, f)) spec.remove(f);
    }
    boolean external = lb || type(spec).equals("NodePort");
    if (!external && unchanged(spec, before, "externalTrafficPolicy")) {
      spec.remove("externalTrafficPolicy");
    }
    if (!needsClusterIP(spec)) {
      for (String f :
          List.of(
              "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy")) {
        if (unchanged(spec, before, f)) spec.remove(f);
      }
    }
  }

  private static boolean unchanged(JsonNode spec, JsonNode before, String f) {
    return spec.has(f) && spec.get(f).equals(before.get(f));
  }

  private static JsonNode samePort(JsonNode before, JsonNode p) {
    for (JsonNode was : before.path("ports")) {
      if (was.path("port").equals(p.path("port"))
          && was.path("protocol").asText("TCP").equals(p.path("protocol").asText("TCP"))) {
        return was;
      }
    }
    return null;
  }

  static void validate(ObjectNode svc, ObjectNode old, List<FieldError> out) {
    Names.dns1035("metadata.name", Fields.text(svc.path("metadata"), "name"), out);
    JsonNode spec = svc.path("spec");
    PodSpecs.oneOf(spec, "type", "spec.type", TYPES, out);
    String type = type(spec);
    PodSpecs.oneOf(
        spec, "sessionAffinity", "spec.sessionAffinity", List.of("ClientIP", "None"), out);
    PodSpecs.oneOf(spec, "internalTrafficPolicy", "spec.internalTrafficPolicy", POLICIES, out);
    PodSpecs.oneOf(spec, "externalTrafficPolicy", "spec.externalTrafficPolicy", POLICIES, out);
    PodSpecs.oneOf(spec, "ipFamilyPolicy", "spec.ipFamilyPolicy", FAMILY_POLICIES, out);
    JsonNode families = spec.path("ipFamilies");
    for (int i = 0; i < families.size(); i++) {
      if (!List.of("IPv4", "IPv6").contains(families.get(i).asText())) {
        out.add(
            FieldError.unsupported(
                "spec.ipFamilies[" + i + "]", families.get(i), List.of("IPv4", "IPv6")));
      }
    }
    if (families.size() > 1 && families.get(0).equals(families.get(1))) {
      out.add(FieldError.duplicate("spec.ipFamilies[1]", families.get(1)));
    }
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    if (!external && spec.has("externalTrafficPolicy")) {
      out.add(
          FieldError.invalid(
              "spec.externalTrafficPolicy",
              spec.get("externalTrafficPolicy"),
              "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    }
    if (!type.equals("LoadBalancer") && spec.has("allocateLoadBalancerNodePorts")) {
      out.add(
          FieldError.forbidden(
              "spec.allocateLoadBalancerNodePorts",
              "may only be used when `type` is 'LoadBalancer'"));
    }
    if (type.equals("ExternalName")) {
      if (Fields.text(spec, "externalName").isEmpty())
        out.add(FieldError.required("spec.externalName"));
      else Names.subdomain("spec.externalName", Fields.text(spec, "externalName"), out);
    }
    ports(spec, type, out);
    if (old != null && needsClusterIP(spec) && needsClusterIP(old.path("spec"))) {
      JsonNode was = old.path("spec").path("clusterIPs");
      JsonNode now = spec.path("clusterIPs");
      if (was.size() > 0 && (now.size() == 0 || !now.get(0).equals(was.get(0)))) {
        out.add(FieldError.invalid("spec.clusterIPs[0]", now, "may not change once set"));
      }
    }
  }

  private static void ports(JsonNode spec, String type, List<FieldError> out) {
    List<ObjectNode> ports = Fields.objects(spec, "ports");
    if (ports.isEmpty() && !type.equals("ExternalName") && !headless(spec)) {
      out.add(FieldError.required("spec.ports"));
    }
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode p = ports.get(i);
      String f = "spec.ports[" + i + "]";
      String name = Fields.text(p, "name");
      if (name.isEmpty() && ports.size() > 1) out.add(FieldError.required(f + ".name"));
      else if (!name.isEmpty() && !names.add(name))
        out.add(FieldError.duplicate(f + ".name", p.get("name")));
      else if (!name.isEmpty()) Names.label(f + ".name", name, out);
      if (!p.has("port")) out.add(FieldError.required(f + ".port"));
      else if (!Fields.validPort(p.get("port"))) {
        out.add(FieldError.invalid(f + ".port", p.get("port"), Fields.PORT_RANGE));
      }
      PodSpecs.oneOf(p, "protocol", f + ".protocol", PodSpecs.PROTOCOLS, out);
      JsonNode target = p.get("targetPort");
      if (target != null && target.isNumber() && !Fields.validPort(target)) {
        out.add(FieldError.invalid(f + ".targetPort", target, Fields.PORT_RANGE));
      } else if (target != null && target.isTextual() && !Names.isPortName(target.asText())) {
        out.add(
            FieldError.invalid(
                f + ".targetPort",
                target,
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
      }
      int nodePort = p.path("nodePort").asInt(0);
      if (nodePort != 0 && type.equals("ClusterIP")) {
        out.add(
            FieldError.forbidden(f + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
      }
      if (!keys.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP"))) {
        ArrayNode dup = p.arrayNode().add(p.path("port")).add(p.path("protocol"));
        out.add(FieldError.duplicate(f, dup));
      }
    }
  }
}
