package io.netsvc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netsvc.sim.api.SimApiServer;
import io.netsvc.sim.rbac.model.AccessRequest;
import io.netsvc.sim.rbac.model.RbacPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Members form their cluster the way deploy/ starts them: {@code netsvc server --discovery
 * kubernetes-api} and {@code netsvc agent --discovery kubernetes-api}, each a separate JVM with the
 * cluster's certificate (--tls-dir), no --seed. Pekko Cluster Bootstrap lists the controller pods
 * over https from an embedded API (the pods' IP and "management" port are these processes'), with a
 * ServiceAccount token and CA from files, as in a pod. The two servers form one cluster and the
 * agent joins it; the agent's requests are exactly what deploy/rbac.yaml grants it.
 */
class BootstrapDiscoveryIT {
  private static final Path SCRIPT =
      Path.of("..", "scripts", "tls-certs").toAbsolutePath().normalize();
  private static final Path RBAC = Path.of("..", "deploy", "rbac.yaml").toAbsolutePath();
  private static final String NS = "netsvc-system";
  private static final String CONTROLLER_TOKEN = "bootstrap-controller-token";
  private static final String AGENT_TOKEN = "bootstrap-agent-token";
  private final List<Proc> procs = new ArrayList<>();
  private SimApiServer api;

  @AfterEach
  void stop() {
    procs.forEach(Proc::killQuietly);
    if (api != null) api.close();
  }

  @Test
  void serversFormOneClusterFromTheListedPodsAndTheAgentJoinsIt() throws Exception {
    Path dir = Path.of("target", "chaos", "bootstrap").toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    // the API's https certificate (names 127.0.0.1: Pekko's HTTP client verifies the host) and
    // the cluster's certificate, one for every member as the Secret netsvc-artery-tls is
    run(dir, SCRIPT.toString(), "ca", dir.resolve("ca").toString());
    run(
        dir,
        SCRIPT.toString(),
        "member",
        dir.resolve("ca").toString(),
        dir.resolve("tls").toString());
    Path apiKey = dir.resolve("api.key");
    Path apiCert = dir.resolve("api.crt");
    Files.writeString(dir.resolve("api.ext"), "subjectAltName=IP:127.0.0.1\n");
    run(
        dir,
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        apiKey.toString(),
        "-out",
        dir.resolve("api.csr").toString(),
        "-subj",
        "/CN=kube-apiserver");
    run(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        dir.resolve("api.csr").toString(),
        "-CA",
        dir.resolve("ca/ca.crt").toString(),
        "-CAkey",
        dir.resolve("ca/ca.key").toString(),
        "-set_serial",
        "7",
        "-days",
        "2",
        "-extfile",
        dir.resolve("api.ext").toString(),
        "-out",
        apiCert.toString());

    api = SimApiServer.start("127.0.0.1", 0);
    int https = api.listenTls(apiCert, apiKey);
    Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
    api.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();

    int[] s1 = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    int[] s2 = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    int[] agent = {ProcessCluster.freePort(), ProcessCluster.freePort()};
    // what the kubelet would report: Running pods with the pod IP and the named ports
    pod("netsvc-controller-1", "controller", s1);
    pod("netsvc-controller-2", "controller", s2);
    pod("netsvc-agent-node-a", "agent", agent);

    // all at once, as a Deployment and a DaemonSet start
    member(
        dir,
        "server-1",
        CONTROLLER_TOKEN,
        https,
        s1,
        "server",
        "--kubeconfig",
        kubeconfig.toString());
    member(
        dir,
        "server-2",
        CONTROLLER_TOKEN,
        https,
        s2,
        "server",
        "--kubeconfig",
        kubeconfig.toString());
    member(
        dir,
        "agent-node-a",
        AGENT_TOKEN,
        https,
        agent,
        "agent",
        "--node-name",
        "node-a",
        "--disable-network-policy");

    Map<Integer, String> want = Map.of(s1[0], "controller", s2[0], "controller", agent[0], "node");
    await("both servers and the agent Up in one cluster (logs: " + dir + ")")
        // three JVMs start, then Bootstrap waits 5 s of stable contact points: ~30 s on 2 busy
        // cores
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> upRoles(s1[1]).equals(want) && upRoles(s2[1]).equals(want));
    assertThat(Files.readString(dir.resolve("server-1.log")))
        .contains("transport [Artery tls-tcp]");

    // the discovery's requests, per ServiceAccount, against the shipped roles
    List<HasMetadata> rbac = parse(Files.readString(RBAC));
    Set<AccessRequest> byAgent = api.requestsBy(AGENT_TOKEN);
    RbacPolicy agentRole = RbacPolicy.forServiceAccount(rbac, NS, "netsvc-agent");
    assertThat(byAgent).containsExactly(new AccessRequest("list", "", "pods", "", NS, ""));
    assertThat(agentRole.denied(byAgent)).isEmpty();
    assertThat(agentRole.unused(byAgent)).isEmpty();
    Set<AccessRequest> byServers = api.requestsBy(CONTROLLER_TOKEN);
    assertThat(byServers).contains(new AccessRequest("list", "", "pods", "", NS, ""));
    assertThat(RbacPolicy.forServiceAccount(rbac, NS, "netsvc-controller").denied(byServers))
        .isEmpty();
  }

  private void pod(String name, String component, int[] ports) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(name)
            .addToLabels("app.kubernetes.io/name", "netsvc")
            .addToLabels("app.kubernetes.io/component", component)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("netsvc")
            .withImage("netsvc:0.1.0")
            .addNewPort()
            .withName("remoting")
            .withContainerPort(ports[0])
            .endPort()
            .addNewPort()
            .withName("management")
            .withContainerPort(ports[1])
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    Pod created = api.client().pods().inNamespace(NS).resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("127.0.0.1")
            .withHostIP("127.0.0.1")
            .build());
    api.client().pods().inNamespace(NS).resource(created).updateStatus();
  }

  /**
   * One member as in its pod: KUBERNETES_SERVICE_HOST/PORT in the environment, the token, CA and
   * namespace files where the ServiceAccount mount would be (here given by system properties).
   */
  private void member(
      Path dir, String name, String token, int https, int[] ports, String... commandAndArgs)
      throws IOException {
    Path sa = dir.resolve("sa-" + name);
    Files.createDirectories(sa);
    Files.writeString(sa.resolve("token"), token);
    Files.writeString(sa.resolve("namespace"), NS);
    Files.copy(dir.resolve("ca/ca.crt"), sa.resolve("ca.crt"));
    String k = "-Dpekko.discovery.kubernetes-api.";
    List<String> jvm =
        List.of(
            "-Xmx256m",
            k + "api-token-path=" + sa.resolve("token"),
            k + "api-ca-path=" + sa.resolve("ca.crt"),
            k + "pod-namespace-path=" + sa.resolve("namespace"));
    List<String> args = new ArrayList<>(List.of(commandAndArgs));
    args.addAll(
        List.of(
            "--discovery",
            "kubernetes-api",
            "--bind-address",
            "127.0.0.1",
            "--cluster-port",
            String.valueOf(ports[0]),
            "--management-port",
            String.valueOf(ports[1]),
            "--tls-dir",
            dir.resolve("tls").toString(),
            "--data-dir",
            dir.resolve("data-" + name).toString()));
    Map<String, String> env =
        Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "" + https);
    procs.add(Proc.start(dir.resolve(name + ".log"), List.of(), jvm, env, args));
  }

  /** Artery port → first role of each member Up in the view of this Management port. */
  private static Map<Integer, String> upRoles(int management) {
    return Management.get("127.0.0.1", management, "/cluster/members", Duration.ofSeconds(2))
        .filter(a -> a.code() == 200)
        .map(
            a -> {
              Map<Integer, String> out = new TreeMap<>();
              for (JsonNode m : a.body().path("members")) {
                if (!"Up".equals(m.path("status").asText())) continue;
                String node = m.path("node").asText();
                int port = Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
                String role = "";
                for (JsonNode r : m.path("roles")) {
                  if (!r.asText().startsWith("dc-")) role = r.asText();
                }
                out.put(port, role);
              }
              return (Map<Integer, String>) out;
            })
        .orElse(Map.of());
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
      out.add((HasMetadata) Serialization.unmarshal(doc));
    }
    return out;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(cmd[0] + " not found: this test needs bash and the openssl CLI", e);
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
