package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** kube-apiserver's checks of names, label keys and values (apimachinery's validation). */
public final class Names {
  private Names() {}

  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  static final String LABEL_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  static final String DNS1035_MSG =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or"
          + " 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  static final String SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  public static boolean isLabel(String s) {
    return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
  }

  public static boolean isDns1035(String s) {
    return s.length() <= 63 && DNS1035_LABEL.matcher(s).matches();
  }

  public static boolean isSubdomain(String s) {
    return s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches();
  }

  /** A port name ({@code IANA_SVC_NAME}): at most 15 characters, a letter, no "--". */
  public static boolean isPortName(String s) {
    return s.length() <= 15
        && IANA_SVC_NAME.matcher(s).matches()
        && !s.contains("--")
        && s.chars().anyMatch(Character::isLetter);
  }

  /** metadata.name of an object whose names are DNS-1123 subdomains (most kinds). */
  static void subdomain(String field, String name, List<FieldError> out) {
    if (!isSubdomain(name)) out.add(FieldError.invalid(field, new TextNode(name), SUBDOMAIN_MSG));
  }

  static void label(String field, String name, List<FieldError> out) {
    if (!isLabel(name)) out.add(FieldError.invalid(field, new TextNode(name), LABEL_MSG));
  }

  static void dns1035(String field, String name, List<FieldError> out) {
    if (!isDns1035(name)) out.add(FieldError.invalid(field, new TextNode(name), DNS1035_MSG));
  }

  /** Label keys (optional DNS prefix, a name of at most 63 characters) and values. */
  static void labels(String field, JsonNode labels, List<FieldError> out) {
    if (labels == null || !labels.isObject()) return;
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      String key = e.getKey();
      if (!isQualifiedName(key)) {
        out.add(
            FieldError.invalid(
                field,
                new TextNode(key),
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must"
                    + " start and end with an alphanumeric character"));
      }
      String value = e.getValue().asText("");
      if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        out.add(
            FieldError.invalid(
                field,
                new TextNode(value),
                "a valid label must be an empty string or consist of alphanumeric characters, '-',"
                    + " '_' or '.', and must start and end with an alphanumeric character"));
      }
    }
  }

  /**
   * A LabelSelector: its labels, and each expression's operator (In and NotIn need values, Exists
   * and DoesNotExist take none).
   */
  static void selector(String field, JsonNode selector, List<FieldError> out) {
    if (selector == null || !selector.isObject()) return;
    labels(field + ".matchLabels", selector.get("matchLabels"), out);
    JsonNode expressions = selector.path("matchExpressions");
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode r = expressions.get(i);
      String f = field + ".matchExpressions[" + i + "]";
      String op = r.path("operator").asText("");
      int values = r.path("values").size();
      switch (op) {
        case "In", "NotIn" -> {
          if (values == 0) {
            out.add(
                FieldError.required(
                    f + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) {
            out.add(
                FieldError.forbidden(
                    f + ".values",
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default ->
            out.add(
                FieldError.invalid(
                    f + ".operator", r.path("operator"), "not a valid selector operator"));
      }
      if (!isQualifiedName(r.path("key").asText(""))) {
        out.add(
            FieldError.invalid(
                f + ".key",
                r.path("key"),
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
      }
    }
  }

  /** Annotation and label keys: {@code [prefix/]name}. */
  static boolean isQualifiedName(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || !isSubdomain(prefix)) return false;
    }
    return !name.isEmpty()
        && name.length() <= 63
        && Pattern.matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]", name);
  }
}
