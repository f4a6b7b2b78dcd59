package io.netsvc.sim.rbac.model;

import java.util.Locale;

/**
 * One request to a resource of the Kubernetes API, in the terms RBAC authorizes: verb, API group,
 * resource, subresource, namespace and name ("" when absent; a list or watch restricted by the
 * field selector {@code metadata.name=X} carries X as its name, as kube-apiserver does).
 */
public record AccessRequest(
    String verb,
    String apiGroup,
    String resource,
    String subresource,
    String namespace,
    String name) {

  public AccessRequest {
    verb = nonNull(verb);
    apiGroup = nonNull(apiGroup);
    resource = nonNull(resource);
    subresource = nonNull(subresource);
    namespace = nonNull(namespace);
    name = nonNull(name);
  }

  /**
   * The RBAC verb of an HTTP request as kube-apiserver derives it: GET is get (one object), list or
   * watch; POST create; PUT update; PATCH patch; DELETE delete or deletecollection (no name).
   */
  public static String verbOf(String method, boolean hasName, boolean watch) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD" -> watch ? "watch" : hasName ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> hasName ? "delete" : "deletecollection";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }

  /** "resource" or "resource/subresource", as RBAC rules name it. */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  @Override
  public String toString() {
    String group = apiGroup.isEmpty() ? "core" : apiGroup;
    String where = namespace.isEmpty() ? "" : " in " + namespace;
    String which = name.isEmpty() ? "" : " " + name;
    return verb + " " + group + "/" + combinedResource() + which + where;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
