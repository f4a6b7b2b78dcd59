package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pod specs as kube-apiserver defaults and validates them (core/v1 {@code SetDefaults_PodSpec},
 * {@code SetDefaults_Container}, {@code ValidatePodSpec}): for Pods and for the pod templates of
 * DaemonSets and Deployments.
 */
public final class PodSpecs {
  private PodSpecs() {}

  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  static final List<String> RESTART = List.of("Always", "Never", "OnFailure");
  static final List<String> DNS =
      List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
  static final List<String> PULL = List.of("Always", "IfNotPresent", "Never");

  /** Fills in what kube-apiserver fills in when a field is left out. */
  public static void defaults(ObjectNode spec) {
    Fields.defaultText(spec, "restartPolicy", "Always");
    Fields.defaultText(spec, "dnsPolicy", "ClusterFirst");
    Fields.defaultText(spec, "schedulerName", "default-scheduler");
    Fields.defaultInt(spec, "terminationGracePeriodSeconds", 30);
    Fields.object(spec, "securityContext");
    Fields.defaultBool(spec, "enableServiceLinks", true);
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    for (String list : List.of("initContainers", "containers")) {
      for (ObjectNode c : Fields.objects(spec, list)) container(c, hostNetwork);
    }
    for (ObjectNode v : Fields.objects(spec, "volumes")) volume(v);
  }

  private static void container(ObjectNode c, boolean hostNetwork) {
    if (Fields.unset(c, "imagePullPolicy")) {
      c.put("imagePullPolicy", latest(Fields.text(c, "image")) ? "Always" : "IfNotPresent");
    }
    Fields.defaultText(c, "terminationMessagePath", "/dev/termination-log");
    Fields.defaultText(c, "terminationMessagePolicy", "File");
    Fields.object(c, "resources");
    for (ObjectNode p : Fields.objects(c, "ports")) {
      Fields.defaultText(p, "protocol", "TCP");
      // with the host's network the container's port is the host's
      if (hostNetwork && p.path("hostPort").asInt(0) == 0 && p.has("containerPort")) {
        p.set("hostPort", p.get("containerPort"));
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      ObjectNode pr = Fields.objectOrNull(c, probe);
      if (pr == null) continue;
      Fields.defaultInt(pr, "timeoutSeconds", 1);
      Fields.defaultInt(pr, "periodSeconds", 10);
      Fields.defaultInt(pr, "successThreshold", 1);
      Fields.defaultInt(pr, "failureThreshold", 3);
      ObjectNode http = Fields.objectOrNull(pr, "httpGet");
      if (http != null) {
        Fields.defaultText(http, "scheme", "HTTP");
        Fields.defaultText(http, "path", "/");
      }
    }
    for (ObjectNode e : Fields.objects(c, "env")) {
      ObjectNode ref = Fields.objectOrNull(Fields.objectOrNull(e, "valueFrom"), "fieldRef");
      if (ref != null) Fields.defaultText(ref, "apiVersion", "v1");
    }
  }

  private static void volume(ObjectNode v) {
    for (String source : List.of("configMap", "secret")) {
      ObjectNode s = Fields.objectOrNull(v, source);
      if (s != null) Fields.defaultInt(s, "defaultMode", 420);
    }
    ObjectNode hostPath = Fields.objectOrNull(v, "hostPath");
    if (hostPath != null) Fields.defaultText(hostPath, "type", "");
  }

  /** An image without a tag, or tagged "latest", is pulled always; any other, if not present. */
  static boolean latest(String image) {
    if (image.contains("@")) return false;
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash) return true;
    return image.substring(colon + 1).equals("latest");
  }

  /** The spec's errors, their fields under {@code at} (e.g. "spec.template.spec"). */
  public static void validate(String at, JsonNode spec, List<FieldError> out) {
    if (spec == null || !spec.isObject()) {
      out.add(FieldError.required(at));
      return;
    }
    List<ObjectNode> containers = Fields.objects(spec, "containers");
    if (containers.isEmpty()) out.add(FieldError.required(at + ".containers"));
    Set<String> names = new HashSet<>();
    containers(at + ".initContainers", Fields.objects(spec, "initContainers"), names, out);
    containers(at + ".containers", containers, names, out);
    oneOf(spec, "restartPolicy", at + ".restartPolicy", RESTART, out);
    oneOf(spec, "dnsPolicy", at + ".dnsPolicy", DNS, out);
    Fields.nonNegative(
        spec, "terminationGracePeriodSeconds", at + ".terminationGracePeriodSeconds", out);
    Set<String> volumes = new HashSet<>();
    List<ObjectNode> vs = Fields.objects(spec, "volumes");
    for (int i = 0; i < vs.size(); i++) {
      String name = Fields.text(vs.get(i), "name");
      String f = at + ".volumes[" + i + "].name";
      if (name.isEmpty()) out.add(FieldError.required(f));
      else if (!volumes.add(name)) out.add(FieldError.duplicate(f, vs.get(i).get("name")));
    }
  }

  private static void containers(
      String at, List<ObjectNode> containers, Set<String> names, List<FieldError> out) {
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode c = containers.get(i);
      String f = at + "[" + i + "]";
      String name = Fields.text(c, "name");
      if (name.isEmpty()) out.add(FieldError.required(f + ".name"));
      else if (!names.add(name)) out.add(FieldError.duplicate(f + ".name", c.get("name")));
      else Names.label(f + ".name", name, out);
      if (Fields.text(c, "image").isBlank()) out.add(FieldError.required(f + ".image"));
      oneOf(c, "imagePullPolicy", f + ".imagePullPolicy", PULL, out);
      List<ObjectNode> ports = Fields.objects(c, "ports");
      Set<String> portNames = new HashSet<>();
      for (int j = 0; j < ports.size(); j++) {
        ObjectNode p = ports.get(j);
        String pf = f + ".ports[" + j + "]";
        if (!p.has("containerPort")) out.add(FieldError.required(pf + ".containerPort"));
        else if (!Fields.validPort(p.get("containerPort"))) {
          out.add(
              FieldError.invalid(pf + ".containerPort", p.get("containerPort"), Fields.PORT_RANGE));
        }
        JsonNode hostPort = p.get("hostPort");
        if (hostPort != null && hostPort.asInt(0) != 0 && !Fields.validPort(hostPort)) {
          out.add(FieldError.invalid(pf + ".hostPort", hostPort, Fields.PORT_RANGE));
        }
        oneOf(p, "protocol", pf + ".protocol", PROTOCOLS, out);
        String portName = Fields.text(p, "name");
        if (!portName.isEmpty()) {
          if (!Names.isPortName(portName)) {
            out.add(
                FieldError.invalid(
                    pf + ".name", p.get("name"), "must be no more than 15 characters"));
          } else if (!portNames.add(portName)) {
            out.add(FieldError.duplicate(pf + ".name", p.get("name")));
          }
        }
      }
    }
  }

  /** A field that, when set, must be one of {@code supported}. */
  static void oneOf(
      JsonNode parent, String name, String field, List<String> supported, List<FieldError> out) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) return;
    if (!supported.contains(v.asText())) out.add(FieldError.unsupported(field, v, supported));
  }
}
