package io.netsvc.sim.rbac.model;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * One RBAC rule as a subject holds it: through a ClusterRoleBinding ({@code namespace} "", valid
 * everywhere) or through a RoleBinding (valid in that namespace only). {@code role} names where it
 * came from, for messages.
 */
public record Grant(String role, String namespace, PolicyRule rule) {

  /** True if this rule lets {@code r} through, by kube-apiserver's matching rules. */
  public boolean allows(AccessRequest r) {
    if (!namespace.isEmpty() && !namespace.equals(r.namespace())) return false;
    return matches(rule.getApiGroups(), r.apiGroup())
        && resourceMatches(rule.getResources(), r)
        && matches(rule.getVerbs(), r.verb())
        && namesMatch(rule.getResourceNames(), r.name());
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  /** "*", the exact "resource[/subresource]", or "*&#47;subresource" for any resource's one. */
  private static boolean resourceMatches(List<String> allowed, AccessRequest r) {
    if (allowed == null) return false;
    for (String a : allowed) {
      if (a.equals("*") || a.equals(r.combinedResource())) return true;
      if (!r.subresource().isEmpty() && a.equals("*/" + r.subresource())) return true;
    }
    return false;
  }

  /** No resourceNames: any object; else only named ones (so never a create or a plain list). */
  private static boolean namesMatch(List<String> names, String name) {
    return names == null || names.isEmpty() || names.contains(name);
  }
}
