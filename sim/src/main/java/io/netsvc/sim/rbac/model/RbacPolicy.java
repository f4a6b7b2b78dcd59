package io.netsvc.sim.rbac.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one ServiceAccount may do, from a set of RBAC objects (ClusterRoles, Roles and their
 * bindings), evaluated as kube-apiserver's RBAC authorizer does: a request is allowed when any rule
 * of any bound role matches it; there are no denials.
 */
public final class RbacPolicy {
  private final List<Grant> grants;

  private RbacPolicy(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  public static RbacPolicy of(List<Grant> grants) {
    return new RbacPolicy(grants);
  }

  /**
   * The rules bound to ServiceAccount {@code namespace/name} among {@code objects}. A binding to a
   * role that is not among them is an error: the shipped manifests must be complete.
   */
  public static RbacPolicy forServiceAccount(
      Collection<? extends HasMetadata> objects, String namespace, String name) {
    Map<String, ClusterRole> clusterRoles = byName(objects, ClusterRole.class, o -> "");
    Map<String, Role> roles = byName(objects, Role.class, o -> o.getMetadata().getNamespace());
    List<Grant> out = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRoleBinding b && names(b.getSubjects(), "", namespace, name)) {
        RoleRef ref = b.getRoleRef();
        if (!"ClusterRole".equals(ref.getKind())) {
          throw new IllegalArgumentException(
              "ClusterRoleBinding " + b.getMetadata().getName() + " refers to a " + ref.getKind());
        }
        out.addAll(grants(clusterRoles.get(":" + ref.getName()), ref, ""));
      } else if (o instanceof RoleBinding b) {
        String ns = b.getMetadata().getNamespace();
        if (!names(b.getSubjects(), ns, namespace, name)) continue;
        RoleRef ref = b.getRoleRef();
        HasMetadata role =
            "ClusterRole".equals(ref.getKind())
                ? clusterRoles.get(":" + ref.getName())
                : roles.get(ns + ":" + ref.getName());
        out.addAll(grants(role, ref, ns));
      }
    }
    return new RbacPolicy(out);
  }

  public List<Grant> grants() {
    return grants;
  }

  public boolean allows(AccessRequest r) {
    return grants.stream().anyMatch(g -> g.allows(r));
  }

  /** The requests no rule allows, sorted, each once. */
  public List<String> denied(Collection<AccessRequest> requests) {
    return requests.stream()
        .filter(r -> !allows(r))
        .map(AccessRequest::toString)
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .toList();
  }

  /**
   * Every single permission the rules grant (one API group, resource and verb, with the rule's
   * resourceNames and namespace) that no request in {@code requests} used, as {@code "verb
   * group/resource"} (core group "core"), sorted and each once. A wildcard is never "used": it
   * grants more than any set of requests can show.
   */
  public List<String> unused(Collection<AccessRequest> requests) {
    TreeSet<String> out = new TreeSet<>();
    for (Grant g : grants) {
      PolicyRule rule = g.rule();
      for (String group : nonNull(rule.getApiGroups())) {
        for (String resource : nonNull(rule.getResources())) {
          for (String verb : nonNull(rule.getVerbs())) {
            Grant atom =
                new Grant(
                    g.role(),
                    g.namespace(),
                    new PolicyRuleBuilder()
                        .withApiGroups(group)
                        .withResources(resource)
                        .withVerbs(verb)
                        .withResourceNames(nonNull(rule.getResourceNames()))
                        .build());
            boolean wildcard = group.equals("*") || resource.contains("*") || verb.equals("*");
            if (wildcard || requests.stream().noneMatch(atom::allows)) {
              out.add(verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource);
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<Grant> grants(HasMetadata role, RoleRef ref, String namespace) {
    if (role == null) {
      throw new IllegalArgumentException(
          "a binding refers to " + ref.getKind() + " " + ref.getName() + ", which is not defined");
    }
    List<PolicyRule> rules =
        role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    String label = ref.getKind() + " " + ref.getName();
    return nonNull(rules).stream().map(r -> new Grant(label, namespace, r)).toList();
  }

  /** Does one of {@code subjects} name the ServiceAccount? (RoleBinding default: its namespace.) */
  private static boolean names(
      List<Subject> subjects, String bindingNamespace, String namespace, String name) {
    for (Subject s : nonNull(subjects)) {
      String ns = s.getNamespace() == null ? bindingNamespace : s.getNamespace();
      if ("ServiceAccount".equals(s.getKind())
          && name.equals(s.getName())
          && namespace.equals(ns)) {
        return true;
      }
    }
    return false;
  }

  private static <T extends HasMetadata> Map<String, T> byName(
      Collection<? extends HasMetadata> objects, Class<T> type, Function<T, String> ns) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .collect(
            Collectors.toMap(
                o -> Objects.toString(ns.apply(o), "") + ":" + o.getMetadata().getName(),
                o -> o,
                (a, b) -> a));
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
