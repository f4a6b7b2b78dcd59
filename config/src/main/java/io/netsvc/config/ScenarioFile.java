package io.netsvc.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsvc.config.SimNodeSpec.TaintSpec;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A scenario file of {@code netsvc sim}:
 *
 * <pre>
 * nodes:
 * - name: node-a
 *   internalIP: [10.0.0.1, fd00::1]   # a string (comma list allowed) or a list
 *   externalIP: 203.0.113.5
 *   labels: {zone: a}
 *   taints: [{key: dedicated, value: lb, effect: NoSchedule}]
 * </pre>
 *
 * Like a kubelet, the sim labels every node {@code kubernetes.io/hostname=<name>} and {@code
 * kubernetes.io/os=linux} unless the file sets them.
 */
final class ScenarioFile {

  static final int MAX_NODES = 5000;
  private static final Set<String> NODE_FIELDS =
      Set.of("name", "internalIP", "externalIP", "labels", "taints");
  private static final Set<String> TAINT_FIELDS = Set.of("key", "value", "effect");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private ScenarioFile() {}

  static Scenario load(Path file) {
    return read(YamlFiles.read(file, "scenario file"), file.toString());
  }

  /** Validates the document; {@code name} names the file in messages. */
  static Scenario read(JsonNode root, String name) {
    String where = "scenario file " + name;
    if (!root.isObject()) {
      throw new UsageException(where + ": expected a mapping with a 'nodes' list");
    }
    root.fieldNames()
        .forEachRemaining(
            f -> {
              if (!f.equals("nodes")) {
                throw new UsageException(where + ": unknown key '" + f + "' (expected 'nodes')");
              }
            });
    JsonNode nodes = root.path("nodes");
    if (!nodes.isArray() || nodes.isEmpty()) {
      throw new UsageException(where + ": 'nodes' must be a non-empty list");
    }
    if (nodes.size() > MAX_NODES) {
      throw new UsageException(where + ": at most " + MAX_NODES + " nodes are supported");
    }
    List<SimNodeSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      SimNodeSpec node = node(nodes.get(i), where + ": node " + (i + 1));
      if (!names.add(node.name())) {
        throw new UsageException(where + ": node name '" + node.name() + "' is used twice");
      }
      out.add(node);
    }
    return new Scenario(List.copyOf(out));
  }

  private static SimNodeSpec node(JsonNode n, String where) {
    if (!n.isObject()) {
      throw new UsageException(where + ": expected a mapping");
    }
    String name = text(n.get("name"), where + ": 'name'");
    if (!HostNames.isDnsSubdomain(name)) {
      throw new UsageException(
          where
              + ": name '"
              + name
              + "' is not a valid DNS-1123 subdomain (lower-case a-z, 0-9, '-', '.')");
    }
    where = where + " ('" + name + "')";
    checkFields(n, NODE_FIELDS, where);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.putAll(labels(n.path("labels"), where));
    return new SimNodeSpec(
        name,
        ips(n.path("internalIP"), where + ": internalIP"),
        ips(n.path("externalIP"), where + ": externalIP"),
        Collections.unmodifiableMap(labels),
        taints(n.path("taints"), where));
  }

  private static List<String> ips(JsonNode node, String where) {
    List<String> raw = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> raw.add(text(item, where)));
    } else if (!node.isMissingNode() && !node.isNull()) {
      raw.addAll(List.of(text(node, where).split(",")));
    }
    List<String> out = new ArrayList<>();
    for (String ip : raw) {
      out.add(
          IpAddress.parse(ip.strip(), Syntax.GO)
              .map(IpAddress::toString)
              .orElseThrow(
                  () ->
                      new UsageException(
                          where + ": '" + ip.strip() + "' is not an IPv4 or IPv6 address")));
    }
    return List.copyOf(out);
  }

  private static Map<String, String> labels(JsonNode node, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new UsageException(where + ": 'labels' must be a mapping");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      String value =
          e.getValue().isNull() ? "" : text(e.getValue(), where + ": label '" + key + "'");
      if (!isQualifiedName(key)) {
        throw new UsageException(where + ": '" + key + "' is not a valid label key");
      }
      if (!isLabelValue(value)) {
        throw new UsageException(
            where + ": '" + value + "' is not a valid value for label '" + key + "'");
      }
      out.put(key, value);
    }
    return out;
  }

  private static List<TaintSpec> taints(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new UsageException(where + ": 'taints' must be a list");
    }
    List<TaintSpec> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode t : node) {
      checkFields(t, TAINT_FIELDS, where + ": taint");
      String key = text(t.get("key"), where + ": taint 'key'");
      String value = t.hasNonNull("value") ? text(t.get("value"), where + ": taint 'value'") : null;
      String effect = text(t.get("effect"), where + ": taint '" + key + "' 'effect'");
      if (!isQualifiedName(key)) {
        throw new UsageException(where + ": '" + key + "' is not a valid taint key");
      }
      if (value != null && !isLabelValue(value)) {
        throw new UsageException(
            where + ": '" + value + "' is not a valid value for taint '" + key + "'");
      }
      if (!EFFECTS.contains(effect)) {
        throw new UsageException(
            where
                + ": taint '"
                + key
                + "' has effect '"
                + effect
                + "' (valid: NoSchedule, PreferNoSchedule, NoExecute)");
      }
      if (!seen.add(key + ":" + effect)) {
        throw new UsageException(where + ": taint '" + key + ":" + effect + "' is given twice");
      }
      out.add(new TaintSpec(key, value, effect));
    }
    return List.copyOf(out);
  }

  private static void checkFields(JsonNode n, Set<String> allowed, String where) {
    if (!n.isObject()) {
      throw new UsageException(where + ": expected a mapping");
    }
    n.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                throw new UsageException(
                    where
                        + ": unknown field '"
                        + f
                        + "' (valid: "
                        + String.join(", ", sorted(allowed))
                        + ")");
              }
            });
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static String text(JsonNode node, String what) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new UsageException(what + " is missing");
    }
    if (!node.isValueNode()) {
      throw new UsageException(what + " must be a plain value");
    }
    return node.asText();
  }

  /** A Kubernetes label/taint key: optional DNS-subdomain prefix and "/", then a ≤ 63 char name. */
  static boolean isQualifiedName(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0 && !HostNames.isDnsSubdomain(key.substring(0, slash))) {
      return false;
    }
    return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  static boolean isLabelValue(String value) {
    return value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches());
  }
}
