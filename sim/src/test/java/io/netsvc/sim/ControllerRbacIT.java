package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.netsvc.config.Component;
import io.netsvc.config.DeploySettings;
import io.netsvc.config.Settings;
import io.netsvc.k8s.deploy.model.Ownership;
import io.netsvc.sim.deploy.DeployManifests;
import io.netsvc.sim.rbac.model.AccessRequest;
import io.netsvc.sim.rbac.model.RbacPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The RBAC in {@code deploy/rbac.yaml} is what the controller uses, no less and no more: netsvc's
 * flows run in the sim with the members' own bearer token, the sim API records every request in
 * RBAC's terms, and each one must be allowed by the roles bound to the controller's ServiceAccount,
 * while every permission those roles grant must have been used (but for {@link #NOT_EXERCISED}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerRbacIT {
  static final String NAMESPACE = "netsvc-system";
  static final String CONTROLLER_SA = "netsvc-controller";
  static final String AGENT_SA = "netsvc-agent";

  /**
   * Granted, but not used by the flows below; each needs its reason. Kept as short as possible: the
   * test fails when one of these is used after all (then it belongs to the proven set).
   */
  static final Set<String> NOT_EXERCISED =
      Set.of(
          // CoreDNS's ClusterRole system:coredns grants these; RBAC lets the deployer create (and
          // patch) a role only with every permission it grants (escalation prevention)
          "list core/endpoints",
          "watch core/endpoints",
          // a member takes the Lease over from a member of its own cluster that is gone
          // (LeaseFence.takeOverFromOwnCluster): the chaos tests kill members, this test does not
          "update coordination.k8s.io/leases");

  static final ObjectMapper JSON = new ObjectMapper();
  static final String OWNER = Ownership.OWNER_NAME;
  static final String TAMPERED = "edited-by-hand";
  SimHarness sim;
  List<HasMetadata> rbac;

  @BeforeAll
  void start() throws Exception {
    rbac = DeployManifests.file("rbac.yaml");
    sim = SimHarness.start(null, "--nodes", "2");
  }

  @AfterAll
  void stop() {
    if (sim != null) sim.close();
  }

  @Test
  void theControllerNeedsExactlyTheShippedRoles() throws Exception {
    runTheFlows();
    Set<AccessRequest> used = sim.sim.api().requestsBy(SimRunner.CONTROLLER_TOKEN);
    assertThat(sim.sim.api().requestsNotRecorded()).isZero();
    assertThat(used).as("the controller's requests were recorded").isNotEmpty();
    RbacPolicy policy = RbacPolicy.forServiceAccount(rbac, NAMESPACE, CONTROLLER_SA);
    List<String> all = used.stream().map(AccessRequest::toString).sorted().toList();
    assertThat(policy.denied(used))
        .as("requests deploy/rbac.yaml does not allow (all requests: %s)", all)
        .isEmpty();
    // beyond resources only discovery, which every authenticated user may read (system:discovery)
    assertThat(sim.sim.api().nonResourcePathsBy(SimRunner.CONTROLLER_TOKEN))
        .allMatch(p -> p.matches("/(api|apis|version|openapi)(/.*)?"), "a discovery path");
    List<String> unused = policy.unused(used);
    assertThat(new ArrayList<>(unused))
        .as("granted but never used (add a flow that uses it, or list it with a reason)")
        .containsExactlyInAnyOrderElementsOf(NOT_EXERCISED);
  }

  @Test
  void agentsMayOnlyListPodsInTheirOwnNamespace() {
    // `netsvc agent` starts its member without a Kubernetes client (Runners.agent): it works from
    // its NodeActor's state. Its one request is Cluster Bootstrap's lookup of the controller pods
    // (--discovery kubernetes-api; BootstrapDiscoveryIT in the chaos module records it).
    RbacPolicy agent = RbacPolicy.forServiceAccount(rbac, NAMESPACE, AGENT_SA);
    assertThat(agent.unused(Set.of())).containsExactly("list core/pods");
    assertThat(agent.allows(new AccessRequest("list", "", "pods", "", NAMESPACE, ""))).isTrue();
    assertThat(agent.allows(new AccessRequest("list", "", "pods", "", "kube-system", "")))
        .isFalse();
    assertThat(agent.allows(new AccessRequest("watch", "", "pods", "", NAMESPACE, ""))).isFalse();
    assertThat(agent.allows(new AccessRequest("get", "", "secrets", "", NAMESPACE, "x"))).isFalse();
  }

  /** ServiceLB, NetworkPolicy, the cloud controller, the deployer, the Lease fence and Events. */
  private void runTheFlows() throws Exception {
    var c = sim.client;
    // the cloud controller initialises the nodes; the deployer applies CoreDNS and Traefik
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.nodes().list().getItems().stream()
                    .allMatch(
                        n ->
                            n.getSpec().getProviderID() != null
                                && (n.getSpec().getTaints() == null
                                    || n.getSpec().getTaints().stream()
                                        .noneMatch(
                                            t -> t.getKey().equals(CloudNodeIT.UNINITIALIZED)))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.apps().deployments().inNamespace("kube-system").withName("coredns").get() != null
                    && !sim.ingress("kube-system", "traefik").isEmpty());
    // ServiceLB: status, the finalizer, svclb DaemonSets, a conflict's Event, a deletion
    sim.create(SimHarness.lb("default", "web", 8080));
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.ingress("default", "web").size() == 2);
    sim.create(SimHarness.lb("default", "web-copy", 8080));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sim.hasEvent("default", "web-copy", "Warning HostPortConflict"));
    c.services().inNamespace("default").withName("web").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sim.ingress("default", "web-copy").size() == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.get("default", "web") == null);
    // NetworkPolicy: a policy that reaches a node with a target pod
    c.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build())
        .create();
    c.pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("x")
                .withName("web-1")
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("example/app")
                .endContainer()
                .endSpec()
                .build())
        .create();
    c.network()
        .v1()
        .networkPolicies()
        .resource(
            new NetworkPolicyBuilder()
                .withNewMetadata()
                .withNamespace("x")
                .withName("web-in")
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .addToMatchLabels("app", "web")
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .endSpec()
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var s = JSON.readTree(sim.management("/netpol/policies/x/web-in"));
              return s.path("realised").size() > 0;
            });
    // someone edits CoreDNS's ServiceAccount, ClusterRole and binding: the deployer's next pass
    // puts its own values back. A new --system-default-registry re-renders the packaged
    // manifests: the deployer patches CoreDNS's Deployment and Traefik's HelmCharts.
    c.serviceAccounts().inNamespace("kube-system").withName("coredns").edit(this::tamper);
    c.rbac().clusterRoles().withName("system:coredns").edit(this::tamper);
    c.rbac().clusterRoleBindings().withName("system:coredns").edit(this::tamper);
    Settings first = sim.sim.settings();
    sim.sim.restartMembers(withRegistry(first, "registry.example.com"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.apps()
                    .deployments()
                    .inNamespace("kube-system")
                    .withName("coredns")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()
                    .startsWith("registry.example.com/"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Stream.<HasMetadata>of(
                        c.serviceAccounts().inNamespace("kube-system").withName("coredns").get(),
                        c.rbac().clusterRoles().withName("system:coredns").get(),
                        c.rbac().clusterRoleBindings().withName("system:coredns").get())
                    .allMatch(o -> !TAMPERED.equals(o.getMetadata().getAnnotations().get(OWNER))));
    // disabling ServiceLB removes every svclb DaemonSet and finalizer; disabling CoreDNS and
    // Traefik deletes what the deployer applied for them
    sim.sim.restartMembers(
        first.withDisabled(EnumSet.of(Component.SERVICELB, Component.COREDNS, Component.TRAEFIK)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.apps().daemonSets().inNamespace("kube-system").list().getItems().stream()
                        .noneMatch(d -> d.getMetadata().getName().startsWith("svclb-"))
                    && sim.get("default", "web-copy").getMetadata().getFinalizers().isEmpty()
                    && c.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                        == null
                    && c.rbac().clusterRoles().withName("system:coredns").get() == null
                    && c.genericKubernetesResources(PackagedComponentsFlowIT.HELM_CHARTS)
                            .inNamespace("kube-system")
                            .withName("traefik")
                            .get()
                        == null);
  }

  private <T extends HasMetadata> T tamper(T o) {
    o.getMetadata().getAnnotations().put(OWNER, TAMPERED);
    return o;
  }

  private static Settings withRegistry(Settings s, String registry) {
    DeploySettings d = s.deploy();
    return new Settings(
        s.mode(),
        s.disabled(),
        s.servicelbNamespace(),
        s.kubeconfig(),
        s.cluster(),
        s.node(),
        s.sim(),
        s.logLevel(),
        s.logFormat(),
        s.disableNetworkPolicy(),
        s.disableCloudController(),
        s.dataDir(),
        new DeploySettings(d.clusterDns(), d.clusterDomain(), registry));
  }
}
