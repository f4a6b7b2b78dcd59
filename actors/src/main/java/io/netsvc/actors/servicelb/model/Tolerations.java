package io.netsvc.actors.servicelb.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The svclb pod's tolerations: K3s's three defaults plus the Service's annotation. */
public final class Tolerations {
  private Tolerations() {}

  // Go's encoding/json matches field names case-insensitively; so do these.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();
  private static final TypeReference<List<Toleration>> LIST = new TypeReference<>() {};
  private static final Set<String> EFFECTS =
      Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");

  /** K3s's defaults: control-plane/master NoSchedule and CriticalAddonsOnly. */
  public static List<Toleration> defaults() {
    return List.of(
        exists("node-role.kubernetes.io/master", "NoSchedule"),
        exists("node-role.kubernetes.io/control-plane", "NoSchedule"),
        exists("CriticalAddonsOnly", null));
  }

  static Toleration exists(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  /**
   * K3s's {@code getTolerations}: a JSON list, else a YAML list; an empty value or {@code null}
   * means none; an empty operator becomes {@code Equal}; unknown fields are dropped, as Go's
   * decoder does. Beyond K3s, an operator or effect the API server would reject is refused here, so
   * the Service gets one clear message instead of a DaemonSet write that fails forever.
   *
   * @throws IllegalArgumentException with K3s's messages
   */
  public static List<Toleration> fromAnnotation(String value) {
    List<Toleration> parsed;
    try {
      parsed = JSON.readValue(value, LIST);
    } catch (Exception jsonError) {
      try {
        // sigs.k8s.io/yaml turns an empty document into null, i.e. no tolerations
        parsed = value.isBlank() ? null : YAML.readValue(value, LIST);
      } catch (Exception e) {
        throw new IllegalArgumentException(
            "failed to parse tolerations from annotation "
                + SvclbNames.TOLERATIONS_ANNOTATION
                + ": "
                + firstLine(e.getMessage()));
      }
    }
    List<Toleration> out = new ArrayList<>();
    for (int i = 0; parsed != null && i < parsed.size(); i++) {
      // Go decodes a null element as the zero Toleration
      Toleration t = parsed.get(i) == null ? new Toleration() : parsed.get(i);
      String op = empty(t.getOperator()) ? "Equal" : t.getOperator();
      if (empty(t.getKey()) && !"Exists".equals(op)) {
        throw invalid(i, "toleration with empty key must have operator 'Exists'");
      }
      if ("Exists".equals(op) && !empty(t.getValue())) {
        throw invalid(i, "toleration with operator 'Exists' must have an empty value");
      }
      if (!"Exists".equals(op) && !"Equal".equals(op)) {
        throw invalid(i, "toleration operator must be 'Exists' or 'Equal', not '" + op + "'");
      }
      if (!EFFECTS.contains(t.getEffect() == null ? "" : t.getEffect())) {
        throw invalid(i, "unsupported toleration effect '" + t.getEffect() + "'");
      }
      out.add(
          new TolerationBuilder()
              .withKey(t.getKey())
              .withOperator(op)
              .withValue(t.getValue())
              .withEffect(t.getEffect())
              .withTolerationSeconds(t.getTolerationSeconds())
              .build());
    }
    return out;
  }

  /** Defaults plus the Service's annotation (which may throw). */
  public static List<Toleration> forService(ServiceInfo s) {
    List<Toleration> out = new ArrayList<>(defaults());
    String a = s.annotations().get(SvclbNames.TOLERATIONS_ANNOTATION);
    if (a != null) out.addAll(fromAnnotation(a));
    return out;
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static IllegalArgumentException invalid(int i, String why) {
    return new IllegalArgumentException("validation failed for toleration " + i + ": " + why);
  }

  private static String firstLine(String s) {
    if (s == null) return "unparseable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
