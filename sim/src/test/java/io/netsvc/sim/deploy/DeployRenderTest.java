package io.netsvc.sim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl kustomize deploy} renders the base, every object parses as a fabric8 model object
 * of the expected kind, and the controller's and agents' pods carry what they need.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployRenderTest {
  static final String TLS_SECRET = "netsvc-artery-tls";
  List<HasMetadata> objects;

  @BeforeAll
  void render() throws Exception {
    objects = DeployManifests.parse(DeployManifests.render());
  }

  private <T extends HasMetadata> T one(Class<T> kind, String name) {
    return objects.stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  @Test
  void everyObjectParsesWithTheExpectedKind() {
    assertThat(objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "Namespace netsvc-system",
            "ServiceAccount netsvc-controller",
            "ServiceAccount netsvc-agent",
            "ClusterRole netsvc-controller",
            "ClusterRoleBinding netsvc-controller",
            "Role netsvc-controller",
            "RoleBinding netsvc-controller",
            "Role netsvc-agent",
            "RoleBinding netsvc-agent",
            "Deployment netsvc-controller",
            "PodDisruptionBudget netsvc-controller",
            "DaemonSet netsvc-agent");
    // typed by fabric8, not generic: the kinds are known to the model
    assertThat(objects)
        .allMatch(o -> o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model"));
    assertThat(
            one(io.fabric8.kubernetes.api.model.Namespace.class, "netsvc-system")
                .getMetadata()
                .getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
  }

  @Test
  void theControllerIsHighlyAvailableAndProbedOnManagement() {
    Deployment d = one(Deployment.class, "netsvc-controller");
    assertThat(d.getSpec().getReplicas()).isBetween(2, 3);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("netsvc:0.1.0");
    assertThat(c.getArgs().get(0)).isEqualTo("server");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(
            c.getPorts().stream()
                .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())))
        .containsEntry("management", 7626)
        .containsKey("remoting");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "7626");
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "netsvc-controller");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getServiceAccountName()).isEqualTo("netsvc-controller");
  }

  @Test
  void theAgentRunsOnEveryNodeOnTheHostNetworkWithOnlyNetAdminAndNetRaw() {
    DaemonSet ds = one(DaemonSet.class, "netsvc-agent");
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    var c = pod.getContainers().get(0);
    assertThat(c.getArgs().get(0)).isEqualTo("agent");
    assertThat(c.getSecurityContext().getRunAsUser()).isZero();
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("NODE_NAME")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName"));
    var lock =
        pod.getVolumes().stream().filter(v -> v.getHostPath() != null).findFirst().orElseThrow();
    assertThat(lock.getHostPath().getPath()).isEqualTo("/run/xtables.lock");
    assertThat(lock.getHostPath().getType()).isEqualTo("FileOrCreate");
    assertThat(c.getVolumeMounts())
        .anyMatch(
            m ->
                m.getName().equals(lock.getName()) && m.getMountPath().equals("/run/xtables.lock"));
    // every NoSchedule and NoExecute taint, named ones included
    assertThat(pod.getTolerations())
        .anyMatch(
            t ->
                t.getKey() == null
                    && "Exists".equals(t.getOperator())
                    && "NoSchedule".equals(t.getEffect()))
        .anyMatch(
            t ->
                t.getKey() == null
                    && "Exists".equals(t.getOperator())
                    && "NoExecute".equals(t.getEffect()))
        .anyMatch(t -> "node.cloudprovider.kubernetes.io/uninitialized".equals(t.getKey()))
        .anyMatch(t -> "CriticalAddonsOnly".equals(t.getKey()));
  }

  private List<PodSpec> memberPods() {
    return List.of(
        one(Deployment.class, "netsvc-controller").getSpec().getTemplate().getSpec(),
        one(DaemonSet.class, "netsvc-agent").getSpec().getTemplate().getSpec());
  }

  /**
   * Members find each other through the API (Cluster Bootstrap): the selector they list pods with
   * (application.conf) matches the controller pods and not the agents, whose own pods must never be
   * contact points; the port they probe is a named container port of the controller.
   */
  @Test
  void membersFindTheControllerPodsThroughTheApi() {
    Config pekko = ConfigFactory.parseResources("application.conf");
    Map<String, String> selector = new java.util.HashMap<>();
    for (String term :
        pekko.getString("pekko.discovery.kubernetes-api.pod-label-selector").split(",")) {
      String[] kv = term.split("=", 2);
      selector.put(kv[0], kv[1]);
    }
    String portName =
        pekko.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
    Deployment controller = one(Deployment.class, "netsvc-controller");
    DaemonSet agent = one(DaemonSet.class, "netsvc-agent");
    assertThat(controller.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(agent.getSpec().getTemplate().getMetadata().getLabels())
        .as("agents are no contact points")
        .isNotEqualTo(selector)
        .matches(labels -> !labels.entrySet().containsAll(selector.entrySet()));
    assertThat(controller.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anyMatch(p -> portName.equals(p.getName()));
    for (PodSpec pod : memberPods()) {
      assertThat(pod.getContainers().get(0).getArgs())
          .contains("--discovery=kubernetes-api")
          .noneMatch(a -> a.startsWith("--seed"));
    }
    // the agents' one use of the API: their token lists pods in their namespace
    assertThat(agent.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isNotEqualTo(Boolean.FALSE);
  }

  /** TLS on by default: both kinds of member read the cluster's certificate from one Secret. */
  @Test
  void theClusterTransportUsesTheCertificateFromTheSecret() {
    for (PodSpec pod : memberPods()) {
      var volume =
          pod.getVolumes().stream()
              .filter(v -> v.getSecret() != null)
              .filter(v -> TLS_SECRET.equals(v.getSecret().getSecretName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no volume of the Secret " + TLS_SECRET));
      var container = pod.getContainers().get(0);
      var mount =
          container.getVolumeMounts().stream()
              .filter(m -> m.getName().equals(volume.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(mount.getReadOnly()).isTrue();
      assertThat(container.getArgs()).contains("--tls-dir=" + mount.getMountPath());
    }
  }

  /** The args are real netsvc flags: the launcher's own parser accepts them. */
  @Test
  void theArgsParseWithNetsvcsCommandLine(@TempDir Path tmp) throws Exception {
    Path tls = TlsCerts.memberDir(tmp);
    Map<String, String> values =
        Map.of(
            "POD_IP", "10.42.0.7",
            "HOST_IP", "192.168.1.10",
            "NODE_NAME", "node-1");
    for (PodSpec pod : memberPods()) {
      var container = pod.getContainers().get(0);
      var env = container.getEnv().stream().map(e -> e.getName()).toList();
      assertThat(env)
          .as("the container defines what its args refer to")
          .containsAll(
              container.getArgs().stream()
                  .flatMap(a -> Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(a).results())
                  .map(r -> r.group(1))
                  .toList());
      // the Secret's files, as the kubelet would mount them
      String[] args =
          container.getArgs().stream()
              .map(a -> expand(a, values))
              .map(a -> a.startsWith("--tls-dir=") ? "--tls-dir=" + tls : a)
              .toArray(String[]::new);
      ParseResult parsed = Cli.parse(args, Map.of());
      assertThat(parsed).as(String.join(" ", args)).isInstanceOf(ParseResult.Run.class);
    }
  }

  /** Kubernetes' $(VAR) expansion in args. */
  private static String expand(String arg, Map<String, String> values) {
    Matcher m = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      assertThat(v).as("a value for $(%s)", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }
}
