package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason an object is invalid, worded as kube-apiserver words it ({@code field: Required
 * value}, {@code field: Invalid value: "x": why}, ...) with the cause reason of its {@code Status}
 * ({@code FieldValueRequired}, ...), so clients and users see what a real cluster would answer.
 */
public record FieldError(String field, String reason, String message) {

  public static FieldError required(String field) {
    return new FieldError(field, "FieldValueRequired", field + ": Required value");
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(field, "FieldValueRequired", field + ": Required value: " + detail);
  }

  public static FieldError invalid(String field, JsonNode value, String detail) {
    return invalid(field, render(value), detail);
  }

  public static FieldError invalid(String field, String renderedValue, String detail) {
    return new FieldError(
        field, "FieldValueInvalid", field + ": Invalid value: " + renderedValue + ": " + detail);
  }

  public static FieldError unsupported(String field, JsonNode value, List<String> supported) {
    String values = supported.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    return new FieldError(
        field,
        "FieldValueNotSupported",
        field + ": Unsupported value: " + render(value) + ": supported values: " + values);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(field, "FieldValueForbidden", field + ": Forbidden: " + detail);
  }

  public static FieldError duplicate(String field, JsonNode value) {
    return new FieldError(
        field, "FieldValueDuplicate", field + ": Duplicate value: " + render(value));
  }

  public static FieldError immutable(String field, JsonNode value) {
    return invalid(field, value, "field is immutable");
  }

  /** A value as the API's messages show it: strings quoted, everything else as JSON. */
  static String render(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) return "null";
    if (value.isTextual()) return "\"" + value.asText() + "\"";
    return value.toString();
  }
}
