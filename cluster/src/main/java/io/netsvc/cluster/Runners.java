package io.netsvc.cluster;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.cluster.model.ApiCredentials;
import io.netsvc.cluster.model.Formation;
import io.netsvc.config.ClusterSettings;
import io.netsvc.config.Errors;
import io.netsvc.config.NodeSettings;
import io.netsvc.config.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@code server} and {@code agent} subcommands start ({@code sim} is the sim module's).
 * Each returns what must be closed to stop it.
 */
public final class Runners {
  private Runners() {}

  public static AutoCloseable server(Settings settings, PrintStream out) {
    Member.Spec spec = spec(settings.cluster(), true);
    KubernetesClient client = client(credentials(settings));
    NetsvcMember member = NetsvcMember.start(spec, client, settings, Map.of(), null);
    out.println("netsvc server: management " + member.member().managementUrl());
    return () -> {
      member.close();
      client.close();
    };
  }

  public static AutoCloseable agent(Settings settings, PrintStream out) {
    Member.Spec spec = spec(settings.cluster(), false);
    // before joining: a node that cannot program its rules must not look as if it enforced them
    AgentDataplanes kernel =
        settings.disableNetworkPolicy() ? null : SystemDataplanes.checked(settings.node());
    NetsvcMember member =
        NetsvcMember.start(
            spec,
            null,
            settings,
            Map.of(settings.node().nodeName(), identity(settings.node())),
            kernel);
    out.println(
        "netsvc agent "
            + settings.node().nodeName()
            + ": management "
            + member.member().managementUrl());
    return member;
  }

  /** What the agent advertises: its flags and the host's name (K3s: os.Hostname()). */
  static AgentIdentity identity(NodeSettings node) {
    return new AgentIdentity(
        node.nodeIPs(),
        node.nodeExternalIPs(),
        node.internalDns(),
        node.externalDns(),
        osHostname());
  }

  private static String osHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "" : env;
    }
  }

  /** The member's spec, or exit 2 when it has no way into a cluster (Formation). */
  private static Member.Spec spec(ClusterSettings c, boolean controller) {
    Formation formation =
        Formation.decide(
            controller,
            c.seedNodes(),
            c.discovery(),
            System.getenv(),
            Files.isRegularFile(Path.of(discoveryTokenFile())));
    if (formation instanceof Formation.Refused r) {
      throw new StartupException(r.message(), null, 2);
    }
    return new Member.Spec(
        c.systemName(),
        c.bindAddress(),
        c.clusterPort(),
        c.seedNodes(),
        Set.of(controller ? ServiceLbWiring.CONTROLLER_ROLE : ServiceLbWiring.NODE_ROLE),
        c.bindAddress(),
        c.managementPort(),
        true,
        c.tlsDir(),
        Optional.of(formation)
            .filter(Formation.Bootstrap.class::isInstance)
            .map(Formation.Bootstrap.class::cast));
  }

  /** Where the kubernetes-api discovery reads the pod's token (application.conf, or -D). */
  private static String discoveryTokenFile() {
    return ConfigFactory.load().getString("pekko.discovery.kubernetes-api.api-token-path");
  }

  /**
   * {@code --kubeconfig}/{@code $KUBECONFIG}, else the pod's ServiceAccount (exit 2 if neither).
   */
  static ApiCredentials.Source credentials(Settings settings) {
    // where fabric8 reads the token: its system property or environment variable, else the mount
    String tokenFile =
        System.getProperty(
            Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY,
            System.getenv("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN"));
    Path token = tokenFile == null ? ApiCredentials.TOKEN : Path.of(tokenFile);
    ApiCredentials.Source source =
        ApiCredentials.decide(
            settings.kubeconfig(), System.getenv(), token, Files.isRegularFile(token));
    if (source instanceof ApiCredentials.Missing m) {
      throw new StartupException(m.message(), null, 2);
    }
    return source;
  }

  private static KubernetesClient client(ApiCredentials.Source source) {
    if (source instanceof ApiCredentials.Kubeconfig k) return client(k.file());
    // fabric8's in-cluster auto-configuration (token, CA, namespace of the ServiceAccount); no
    // kubeconfig may win over it: a stray ~/.kube/config on the image or host is not ours
    System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    try {
      return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    } catch (Exception e) {
      throw new StartupException(
          "cannot use the pod's ServiceAccount: " + Errors.rootMessage(e), e);
    }
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (Exception e) {
      throw new StartupException(
          "cannot use kubeconfig " + kubeconfig + ": " + Errors.rootMessage(e), e);
    }
  }
}
