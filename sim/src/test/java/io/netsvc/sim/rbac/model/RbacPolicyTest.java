package io.netsvc.sim.rbac.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RbacPolicyTest {
  static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(groups)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }

  static AccessRequest req(String verb, String group, String resource, String ns, String name) {
    return new AccessRequest(verb, group, resource, "", ns, name);
  }

  static Grant cluster(PolicyRule r) {
    return new Grant("ClusterRole test", "", r);
  }

  @Test
  void verbsAreDerivedAsTheApiServerDoes() {
    assertThat(AccessRequest.verbOf("GET", true, false)).isEqualTo("get");
    assertThat(AccessRequest.verbOf("GET", false, false)).isEqualTo("list");
    assertThat(AccessRequest.verbOf("GET", false, true)).isEqualTo("watch");
    assertThat(AccessRequest.verbOf("POST", false, false)).isEqualTo("create");
    assertThat(AccessRequest.verbOf("PUT", true, false)).isEqualTo("update");
    assertThat(AccessRequest.verbOf("PATCH", true, false)).isEqualTo("patch");
    assertThat(AccessRequest.verbOf("DELETE", true, false)).isEqualTo("delete");
    assertThat(AccessRequest.verbOf("DELETE", false, false)).isEqualTo("deletecollection");
  }

  @Test
  void aRuleMatchesGroupResourceAndVerb() {
    Grant g = cluster(rule(List.of("apps"), List.of("daemonsets"), List.of("get", "list")));
    assertThat(g.allows(req("get", "apps", "daemonsets", "kube-system", "x"))).isTrue();
    assertThat(g.allows(req("list", "apps", "daemonsets", "", ""))).isTrue();
    assertThat(g.allows(req("delete", "apps", "daemonsets", "kube-system", "x"))).isFalse();
    assertThat(g.allows(req("get", "", "daemonsets", "kube-system", "x"))).isFalse();
    assertThat(g.allows(req("get", "apps", "deployments", "kube-system", "x"))).isFalse();
  }

  @Test
  void aSubresourceNeedsItsOwnRuleOrAStarSlashRule() {
    AccessRequest status = new AccessRequest("patch", "", "services", "status", "default", "web");
    assertThat(cluster(rule(List.of(""), List.of("services"), List.of("patch"))).allows(status))
        .isFalse();
    assertThat(
            cluster(rule(List.of(""), List.of("services/status"), List.of("patch"))).allows(status))
        .isTrue();
    assertThat(cluster(rule(List.of(""), List.of("*/status"), List.of("patch"))).allows(status))
        .isTrue();
    assertThat(cluster(rule(List.of("*"), List.of("*"), List.of("*"))).allows(status)).isTrue();
    // services/status does not grant the object itself
    assertThat(
            cluster(rule(List.of(""), List.of("services/status"), List.of("patch")))
                .allows(req("patch", "", "services", "default", "web")))
        .isFalse();
  }

  @Test
  void resourceNamesAllowOnlyNamedObjectsNeverACreateOrAPlainList() {
    PolicyRule r =
        new PolicyRuleBuilder(rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("*")))
            .withResourceNames("netsvc-controller")
            .build();
    Grant g = new Grant("Role lease", "kube-system", r);
    assertThat(
            g.allows(
                req("get", "coordination.k8s.io", "leases", "kube-system", "netsvc-controller")))
        .isTrue();
    assertThat(g.allows(req("get", "coordination.k8s.io", "leases", "kube-system", "other")))
        .isFalse();
    assertThat(g.allows(req("create", "coordination.k8s.io", "leases", "kube-system", "")))
        .isFalse();
    assertThat(g.allows(req("list", "coordination.k8s.io", "leases", "kube-system", ""))).isFalse();
  }

  @Test
  void aRoleBindingGrantsInItsNamespaceOnly() {
    List<HasMetadata> objects =
        List.of(
            new RoleBuilder()
                .withNewMetadata()
                .withName("r")
                .withNamespace("kube-system")
                .endMetadata()
                .withRules(rule(List.of(""), List.of("configmaps"), List.of("get")))
                .build(),
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("cr")
                .endMetadata()
                .withRules(rule(List.of(""), List.of("secrets"), List.of("get")))
                .build(),
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("rb")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "r")
                .addNewSubject(null, "ServiceAccount", "sa", "ns")
                .build(),
            // a ClusterRole bound by a RoleBinding grants in that namespace only
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("rb2")
                .withNamespace("ns")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cr")
                .addNewSubject(null, "ServiceAccount", "sa", null)
                .build());
    RbacPolicy p = RbacPolicy.forServiceAccount(objects, "ns", "sa");
    assertThat(p.allows(req("get", "", "configmaps", "kube-system", "a"))).isTrue();
    assertThat(p.allows(req("get", "", "configmaps", "default", "a"))).isFalse();
    assertThat(p.allows(req("get", "", "configmaps", "", ""))).isFalse();
    assertThat(p.allows(req("get", "", "secrets", "ns", "s"))).isTrue();
    assertThat(p.allows(req("get", "", "secrets", "kube-system", "s"))).isFalse();
    // another ServiceAccount holds nothing
    assertThat(RbacPolicy.forServiceAccount(objects, "other", "sa").grants()).isEmpty();
  }

  @Test
  void aClusterRoleBindingGrantsEverywhereAndAMissingRoleIsAnError() {
    var binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("b")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cr")
            .addNewSubject(null, "ServiceAccount", "sa", "ns")
            .build();
    var role =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName("cr")
            .endMetadata()
            .withRules(rule(List.of(""), List.of("pods"), List.of("list")))
            .build();
    RbacPolicy p = RbacPolicy.forServiceAccount(List.of(role, binding), "ns", "sa");
    assertThat(p.allows(req("list", "", "pods", "", ""))).isTrue();
    assertThat(p.allows(req("list", "", "pods", "x", ""))).isTrue();
    assertThatThrownBy(() -> RbacPolicy.forServiceAccount(List.of(binding), "ns", "sa"))
        .hasMessageContaining("ClusterRole cr");
  }

  @Test
  void deniedNamesEachRequestNoRuleAllows() {
    RbacPolicy p =
        RbacPolicy.of(List.of(cluster(rule(List.of(""), List.of("pods"), List.of("list")))));
    assertThat(
            p.denied(
                Set.of(
                    req("list", "", "pods", "", ""),
                    req("watch", "", "pods", "", ""),
                    req("create", "apps", "daemonsets", "kube-system", ""))))
        .containsExactly("create apps/daemonsets in kube-system", "watch core/pods");
  }

  @Test
  void unusedNamesEachGrantedPermissionNoRequestUsedAndEveryWildcard() {
    RbacPolicy p =
        RbacPolicy.of(
            List.of(
                cluster(rule(List.of("", "apps"), List.of("pods", "daemonsets"), List.of("list"))),
                cluster(rule(List.of("batch"), List.of("*"), List.of("get")))));
    assertThat(
            p.unused(
                Set.of(
                    req("list", "", "pods", "", ""),
                    req("list", "apps", "daemonsets", "", ""),
                    req("get", "batch", "jobs", "x", "j"))))
        .containsExactly("get batch/*", "list apps/pods", "list core/daemonsets");
    // a permission limited to a namespace is used only by requests there
    RbacPolicy inNs =
        RbacPolicy.of(
            List.of(
                new Grant(
                    "Role r", "kube-system", rule(List.of(""), List.of("pods"), List.of("get")))));
    assertThat(inNs.unused(Set.of(req("get", "", "pods", "default", "p"))))
        .containsExactly("get core/pods");
    assertThat(inNs.unused(Set.of(req("get", "", "pods", "kube-system", "p")))).isEmpty();
  }
}
