package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The NetworkPolicy actors in {@code netsvc sim}: a policy is compiled, sent to the nodes that host
 * its targets, follows pods that come and go, and reports what it cannot enforce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetpolPipelineIT {
  static final ObjectMapper JSON = new ObjectMapper();
  SimHarness sim;

  @BeforeAll
  void start() throws Exception {
    sim = SimHarness.start(null, "--nodes", "2");
    sim.client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("x")
                .addToLabels("kubernetes.io/metadata.name", "x")
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private Pod pod(String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("x")
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example/app")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  private NetworkPolicy policy(String name, String app, String cidr) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withNamespace("x")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels("app", app)
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewIpBlock()
        .withCidr(cidr)
        .endIpBlock()
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }

  private JsonNode status(String name) throws Exception {
    return JSON.readTree(sim.management("/netpol/policies/x/" + name));
  }

  private String nodeOf(String pod) {
    return sim.client.pods().inNamespace("x").withName(pod).get().getSpec().getNodeName();
  }

  @Test
  void aPolicyReachesTheNodesOfItsTargetsAndFollowsThem() throws Exception {
    sim.client.pods().resource(pod("web-1", "web")).create();
    sim.client.pods().resource(pod("db-1", "db")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                sim.client.pods().inNamespace("x").withName("web-1").get().getStatus().getPodIP()
                    != null);
    sim.client
        .network()
        .v1()
        .networkPolicies()
        .resource(policy("web-in", "web", "10.0.0.0/8"))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions() // "unknown …" until the controller knows the policy
        .until(() -> status("web-in").path("targets").toString().contains("x/web-1"));
    JsonNode s = status("web-in");
    String node = nodeOf("web-1");
    assertThat(s.path("sent").has(node)).isTrue();
    assertThat(s.path("problems").size()).isZero();
    // the node's agent applied it (in memory in the sim) and the policy knows
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                status("web-in").path("realised").path(node).asLong()
                    == status("web-in").path("sent").path(node).asLong());
    JsonNode applied = JSON.readTree(sim.management("/netpol/nodes/" + node)).path("applied");
    assertThat(applied.path("error").isNull()).isTrue();
    assertThat(applied.path("ruleset").asText())
        .contains("KUBE-ROUTER-FORWARD", "KUBE-POD-FW-", "KUBE-NWPLCY-", "10.0.0.0/8");
    assertThat(sim.management("/metrics"))
        .contains("netsvc_netpol_apply_seconds", "netsvc_netpol_compile_seconds");

    // a second target on the other node brings that node in; deleting it takes it out again
    String other = nodeOf("web-1").equals("node-1") ? "node-2" : "node-1";
    Pod second = pod("web-2", "web");
    second.getSpec().setNodeName(other);
    sim.client.pods().resource(second).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> status("web-in").path("sent").has(other));
    sim.client.pods().inNamespace("x").withName("web-2").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> !status("web-in").path("sent").has(other));
  }

  @Test
  void aNamespaceSelectorFollowsNamespaceLabels() throws Exception {
    sim.client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("y")
                .addToLabels("kubernetes.io/metadata.name", "y")
                .endMetadata()
                .build())
        .create();
    sim.client.pods().resource(pod("api-1", "api")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                sim.client.pods().inNamespace("x").withName("api-1").get().getSpec().getNodeName()
                    != null);
    // the client runs on the other node, so its IP can only reach api-1's node as a peer
    Pod client = pod("client-1", "client");
    client.getMetadata().setNamespace("y");
    client.getSpec().setNodeName(nodeOf("api-1").equals("node-1") ? "node-2" : "node-1");
    sim.client.pods().resource(client).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                sim.client.pods().inNamespace("y").withName("client-1").get().getStatus().getPodIP()
                    != null);
    String clientIp =
        sim.client.pods().inNamespace("y").withName("client-1").get().getStatus().getPodIP();
    NetworkPolicy np =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withNamespace("x")
            .withName("api-from-blue")
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .addToMatchLabels("app", "api")
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .addNewFrom()
            .withNewNamespaceSelector()
            .addToMatchLabels("team", "blue")
            .endNamespaceSelector()
            .endFrom()
            .endIngress()
            .endSpec()
            .build();
    sim.client.network().v1().networkPolicies().resource(np).create();
    await()
        .atMost(Duration.ofSeconds(20))
        // until the controller knows the policy, its route answers "unknown …" (not JSON)
        .ignoreExceptions()
        .until(() -> status("api-from-blue").path("targets").toString().contains("x/api-1"));
    String node = nodeOf("api-1");
    assertThat(mentions(ruleset(node), clientIp)).isFalse();
    // labelling the namespace brings its pods in as peers, on the target's node
    sim.client
        .namespaces()
        .withName("y")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("team", "blue");
              return n;
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> mentions(ruleset(node), clientIp));
  }

  private static boolean mentions(String text, String ip) {
    return java.util.regex.Pattern.compile(
            "(?<![0-9.])" + java.util.regex.Pattern.quote(ip) + "(?![0-9])")
        .matcher(text)
        .find();
  }

  private String ruleset(String node) throws Exception {
    return JSON.readTree(sim.management("/netpol/nodes/" + node))
        .path("applied")
        .path("ruleset")
        .asText();
  }

  @Test
  void aPolicyThatCannotBeEnforcedIsRefusedByTheApiAsOnARealCluster() {
    // kube-apiserver validates ipBlocks, so netsvc never sees this policy (its own check, with
    // the PolicyNotEnforced event, is NetworkPolicyActorTest's)
    assertThatThrownBy(
            () ->
                sim.client
                    .network()
                    .v1()
                    .networkPolicies()
                    .resource(policy("broken", "db", "10.0.0.0/40"))
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "NetworkPolicy \"broken\" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid"
                + " value: \"10.0.0.0/40\"");
    assertThat(
            sim.client.network().v1().networkPolicies().inNamespace("x").withName("broken").get())
        .isNull();
  }
}
