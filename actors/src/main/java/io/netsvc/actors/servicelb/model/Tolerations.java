package io.netsvc.actors.servicelb.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;

/** The svclb pod's tolerations: K3s's three defaults plus the Service's annotation. */
public final class Tolerations {
  private Tolerations() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final TypeReference<List<Toleration>> LIST = new TypeReference<>() {};

  public static List<Toleration> defaults() {
    return List.of(
        exists("node-role.kubernetes.io/master", "NoSchedule"),
        exists("node-role.kubernetes.io/control-plane", "NoSchedule"),
        exists("CriticalAddonsOnly", null));
  }

  static Toleration exists(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  /** Parses and validates the annotation like K3s; throws with K3s's messages. */
  public static List<Toleration> fromAnnotation(String value) {
    List<Toleration> parsed;
    try {
      parsed = JSON.readValue(value, LIST);
    } catch (Exception jsonError) {
      try {
        parsed = YAML.readValue(value, LIST);
      } catch (Exception e) {
        throw new IllegalArgumentException(
            "failed to parse tolerations from annotation "
                + SvclbNames.TOLERATIONS_ANNOTATION
                + ": "
                + firstLine(e.getMessage()));
      }
    }
    List<Toleration> out = new ArrayList<>();
    for (int i = 0; i < (parsed == null ? 0 : parsed.size()); i++) {
      Toleration t = parsed.get(i);
      if (t == null) throw invalid(i, "toleration must not be null");
      String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
      boolean emptyKey = t.getKey() == null || t.getKey().isEmpty();
      if (emptyKey && !"Exists".equals(op)) {
        throw invalid(i, "toleration with empty key must have operator 'Exists'");
      }
      if ("Exists".equals(op) && t.getValue() != null && !t.getValue().isEmpty()) {
        throw invalid(i, "toleration with operator 'Exists' must have an empty value");
      }
      if (!"Exists".equals(op) && !"Equal".equals(op)) {
        throw invalid(i, "toleration operator must be 'Exists' or 'Equal', not '" + op + "'");
      }
      out.add(new TolerationBuilder(t).withOperator(op).build());
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

  private static IllegalArgumentException invalid(int i, String why) {
    return new IllegalArgumentException("validation failed for toleration " + i + ": " + why);
  }

  private static String firstLine(String s) {
    if (s == null) return "unparseable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
