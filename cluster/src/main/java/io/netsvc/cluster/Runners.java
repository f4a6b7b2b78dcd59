package io.netsvc.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.config.ClusterSettings;
import io.netsvc.config.Errors;
import io.netsvc.config.NodeSettings;
import io.netsvc.config.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code server} and {@code agent} subcommands start ({@code sim} is the sim module's).
 * Each returns what must be closed to stop it.
 */
public final class Runners {
  private Runners() {}

  public static AutoCloseable server(Settings settings, PrintStream out) {
    Path kubeconfig =
        settings
            .kubeconfig()
            .orElseThrow(
                () ->
                    new StartupException(
                        "server needs --kubeconfig (or KUBECONFIG) to reach the Kubernetes API",
                        null,
                        2));
    KubernetesClient client = client(kubeconfig);
    NetsvcMember member =
        NetsvcMember.start(
            spec(settings.cluster(), Set.of(ServiceLbWiring.CONTROLLER_ROLE)),
            client,
            settings,
            Map.of(),
            null);
    out.println("netsvc server: management " + member.member().managementUrl());
    return () -> {
      member.close();
      client.close();
    };
  }

  public static AutoCloseable agent(Settings settings, PrintStream out) {
    if (settings.cluster().seedNodes().isEmpty()) {
      throw new StartupException("agent needs --seed host:port of a server member", null, 2);
    }
    NetsvcMember member =
        NetsvcMember.start(
            spec(settings.cluster(), Set.of(ServiceLbWiring.NODE_ROLE)),
            null,
            settings,
            Map.of(settings.node().nodeName(), identity(settings.node())),
            null);
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

  private static Member.Spec spec(ClusterSettings c, Set<String> roles) {
    return new Member.Spec(
        c.systemName(),
        c.bindAddress(),
        c.clusterPort(),
        c.seedNodes(),
        roles,
        c.bindAddress(),
        c.managementPort(),
        true,
        c.tlsDir());
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
