package io.netsvc.config;

import static io.netsvc.config.CliTesting.run;
import static io.netsvc.config.CliTesting.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    // mode,  bind,      cluster port, management port
    "server, 127.0.0.1, 25520, 7626",
    "agent,  127.0.0.1, 25520, 7626",
    "sim,    127.0.0.1, 0,     0",
  })
  void defaultsPerSubcommand(String command, String bind, int clusterPort, int managementPort) {
    Settings s = run(dir, command);

    assertEquals(Mode.valueOf(command.toUpperCase()), s.mode());
    assertEquals(Set.of(), s.disabled());
    assertEquals("kube-system", s.servicelbNamespace());
    assertEquals(Optional.empty(), s.kubeconfig());
    assertEquals(
        new ClusterSettings(
            bind,
            clusterPort,
            List.of(),
            managementPort,
            "netsvc",
            Optional.empty(),
            command.equals("sim") ? AgentCheck.OFF : AgentCheck.NODE_ADDRESS,
            Discovery.SEEDS),
        s.cluster());
    assertEquals("info", s.logLevel());
    assertEquals(LogFormat.TEXT, s.logFormat());
    assertFalse(s.disableNetworkPolicy());
    assertFalse(s.disableCloudController());
    assertEquals(
        command.equals("sim") ? dir.resolve(".netsvc/data") : Path.of("/home/alice/.netsvc"),
        s.dataDir());
    assertEquals("worker-7", s.node().nodeName());
    assertEquals(List.of(), s.node().nodeIPs());
    assertEquals(3, s.sim().nodes());
    assertEquals(1, s.sim().members());
    assertEquals(0, s.sim().apiPort());
    assertEquals(Optional.empty(), s.sim().scenarioFile());
    assertEquals(dir.resolve(".netsvc/kubeconfig"), s.sim().kubeconfigOut());
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "agent"})
  void rootDefaultsToNetsvcsOwnSystemDataDirNotK3ss(String command) {
    Host root = new Host(dir, Path.of("/root"), true, "h");
    ParseResult r = Cli.parse(new String[] {command}, Map.of(), root);
    Path dataDir = ((ParseResult.Run) r).settings().dataDir();
    assertEquals(Path.of("/var/lib/netsvc"), dataDir);
    // next to K3s on the same host, netsvc's deployer must never write K3s's manifests
    assertFalse(dataDir.startsWith("/var/lib/rancher"));
  }

  @Test
  void generatedSimNodes() {
    Scenario scenario = run(dir, "sim", "--nodes", "300").sim().scenario();

    assertEquals(300, scenario.nodes().size());
    SimNodeSpec first = scenario.nodes().get(0);
    assertEquals("node-1", first.name());
    assertEquals(List.of("172.30.0.2"), first.internalIPs());
    assertEquals(
        Map.of(
            "kubernetes.io/hostname", "node-1",
            "kubernetes.io/os", "linux",
            "node-role.kubernetes.io/control-plane", "true",
            "node-role.kubernetes.io/master", "true"),
        first.labels());
    SimNodeSpec second = scenario.nodes().get(1);
    assertEquals(List.of("172.30.0.3"), second.internalIPs());
    assertEquals(
        Map.of("kubernetes.io/hostname", "node-2", "kubernetes.io/os", "linux"), second.labels());
    assertEquals(List.of("172.30.1.45"), scenario.nodes().get(299).internalIPs());
    assertEquals(
        300, scenario.nodes().stream().flatMap(n -> n.internalIPs().stream()).distinct().count());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--disable traefik                                  | TRAEFIK",
        "--disable=traefik,coredns                          | TRAEFIK COREDNS",
        "--disable traefik --disable=servicelb,local-storage | TRAEFIK SERVICELB LOCAL_STORAGE",
        "--disable metrics-server, --disable runtimes,traefik | METRICS_SERVER RUNTIMES TRAEFIK",
        "--disable=,servicelb,                              | SERVICELB",
      })
  void disableIsRepeatableAndCommaSeparated(String flags, String expected) {
    Settings s = run(dir, args("server " + flags));

    Set<Component> want =
        Set.copyOf(List.of(expected.split(" ")).stream().map(Component::valueOf).toList());
    assertEquals(want, s.disabled());
    assertTrue(s.isDisabled(want.iterator().next()));
  }

  @Test
  void agentFlags() {
    Settings s =
        run(
            dir,
            "agent",
            "--node-name=edge-1",
            "--node-ip",
            "10.0.0.5,FD00:0:0::5",
            "-i",
            "192.168.1.5",
            "--node-external-ip=203.0.113.9",
            "--seed",
            "[fd00::1]:25520,Seed-A.local:25520",
            "--seed=10.0.0.1:2552",
            "--bind-address",
            "0.0.0.0",
            "--cluster-port",
            "2552",
            "--management-port=0",
            "--log-level",
            "DEBUG",
            "--log-format=json",
            "--disable-network-policy",
            "--disable-cloud-controller=false",
            "--data-dir",
            "state",
            "--servicelb-namespace",
            "lb");

    assertEquals(
        new NodeSettings(
            "edge-1", List.of("10.0.0.5", "fd00::5", "192.168.1.5"), List.of("203.0.113.9")),
        s.node());
    assertEquals(
        new ClusterSettings(
            "0.0.0.0",
            2552,
            List.of("[fd00::1]:25520", "seed-a.local:25520", "10.0.0.1:2552"),
            0,
            "netsvc",
            Optional.empty(),
            AgentCheck.NODE_ADDRESS,
            Discovery.SEEDS),
        s.cluster());
    assertEquals("debug", s.logLevel());
    assertEquals(LogFormat.JSON, s.logFormat());
    assertTrue(s.disableNetworkPolicy());
    assertFalse(s.disableCloudController());
    assertEquals(dir.resolve("state"), s.dataDir());
    assertEquals("lb", s.servicelbNamespace());
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "agent"})
  void discoveryThroughTheKubernetesApiInsteadOfSeeds(String command) {
    Settings s = run(dir, command, "--discovery=kubernetes-api", "--bind-address", "10.42.0.7");

    assertEquals(Discovery.KUBERNETES_API, s.cluster().discovery());
    assertEquals("10.42.0.7", s.cluster().bindAddress());
    assertEquals(List.of(), s.cluster().seedNodes());
    assertEquals(Discovery.SEEDS, run(dir, command).cluster().discovery());
  }

  @Test
  void simFlags() {
    Settings s =
        run(
            dir,
            "sim",
            "--nodes=7",
            "--members",
            "3",
            "--api-port",
            "6443",
            "--kubeconfig-out",
            "out/kc");

    assertEquals(7, s.sim().nodes());
    assertEquals(7, s.sim().scenario().nodes().size());
    assertEquals(3, s.sim().members());
    assertEquals(6443, s.sim().apiPort());
    assertEquals(dir.resolve("out/kc"), s.sim().kubeconfigOut());
  }

  @Test
  void agentProcessesAreCheckedByTheirNodeAddress() {
    Settings inProcess = run(dir, "sim", "--dataplane", "netns");
    Settings processes = run(dir, "sim", "--dataplane", "netns", "--agents", "process");

    assertEquals(false, inProcess.sim().agentProcesses());
    assertEquals(AgentCheck.OFF, inProcess.cluster().agentCheck());
    assertEquals(true, processes.sim().agentProcesses());
    assertEquals(AgentCheck.NODE_ADDRESS, processes.cluster().agentCheck());
  }

  @Test
  void simWithoutMembersIsTheApiAndTheNodesOnly() {
    assertEquals(0, run(dir, "sim", "--members", "0").sim().members());
  }

  @Test
  void packagedComponentsRenderWithK3sDefaults() {
    assertEquals(DeploySettings.DEFAULTS, run(dir, "sim").deploy());
    assertEquals(List.of("10.43.0.10"), DeploySettings.DEFAULTS.clusterDns());
  }

  @Test
  void packagedComponentFlags() {
    Settings s =
        run(
            dir,
            "server",
            "--kubeconfig=" + kubeconfig(),
            "--cluster-dns=10.96.0.10,FD00:10::A",
            "--cluster-domain",
            "corp.example",
            "--system-default-registry",
            "registry.example:5000/mirror",
            "--node-internal-dns",
            "edge-1.internal",
            "--node-external-dns=edge-1.example.com,edge.example.com");
    assertEquals(
        new DeploySettings(
            List.of("10.96.0.10", "fd00:10::a"), "corp.example", "registry.example:5000/mirror"),
        s.deploy());
    assertEquals(List.of("edge-1.internal"), s.node().internalDns());
    assertEquals(List.of("edge-1.example.com", "edge.example.com"), s.node().externalDns());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sim --cluster-dns=10.43.0.300 | --cluster-dns",
        "sim --cluster-domain=Bad_Domain | --cluster-domain",
        "sim --system-default-registry=reg.example/ | --system-default-registry",
        "agent --node-name=a --node-external-dns=not_a_name | --node-external-dns",
        "agent --node-name=a --cluster-domain=x.y | --cluster-domain"
      })
  void badPackagedComponentValuesAreOneLine(String line, String flag) {
    assertTrue(usageError(dir, args(line)).contains(flag));
  }

  private String kubeconfig() {
    try {
      Path kc = dir.resolve("kc");
      Files.writeString(kc, "apiVersion: v1\nkind: Config\n");
      return kc.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void kubeconfigFlagOrEnvironment() throws Exception {
    Path kc = Files.writeString(dir.resolve("kc.yaml"), "apiVersion: v1\n");
    Path other = Files.writeString(dir.resolve("other.yaml"), "apiVersion: v1\n");
    Map<String, String> env =
        Map.of("KUBECONFIG", dir.resolve("missing") + java.io.File.pathSeparator + other);

    assertEquals(Optional.of(kc), run(dir, env, "server", "--kubeconfig", "kc.yaml").kubeconfig());
    assertEquals(Optional.of(other), run(dir, env, "agent").kubeconfig());
    // the sim writes its own kubeconfig and never reads $KUBECONFIG
    assertEquals(Optional.empty(), run(dir, Map.of("KUBECONFIG", "/nope"), "sim").kubeconfig());
    assertTrue(usageError(dir, Map.of("KUBECONFIG", "/nope"), "server").contains("KUBECONFIG"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"--help", "-h", "server --help", "agent -h", "sim --help", "sim --nodes 2 --help"})
  void helpGoesToStdoutWithExitZero(String line) {
    ParseResult.Exit e = assertInstanceOf(ParseResult.Exit.class, Cli.parse(args(line), Map.of()));

    assertEquals(0, e.code());
    assertEquals("", e.stderr());
    assertTrue(e.stdout().startsWith("Usage: netsvc"), e.stdout());
  }

  @Test
  void usageOfEachModeListsItsOwnFlags() {
    assertTrue(Cli.usage(Mode.SIM).contains("--scenario"));
    assertFalse(Cli.usage(Mode.SIM).contains("--node-ip"));
    assertTrue(Cli.usage(Mode.AGENT).contains("--node-external-ip"));
    assertTrue(Cli.usage(Mode.SERVER).contains("--servicelb-namespace"));
  }

  @Test
  void simHelpListsItsStdinCommands() {
    assertTrue(Cli.usage(Mode.SIM).contains("api down"), Cli.usage(Mode.SIM));
    assertTrue(Cli.usage(Mode.SIM).contains("api up"));
    assertFalse(Cli.usage(Mode.SERVER).contains("api down"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "sim --version"})
  void version(String line) {
    assertEquals(new ParseResult.Exit(0, "netsvc 0.1.0\n", ""), Cli.parse(args(line), Map.of()));
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertTrue(usageError(dir).contains("netsvc --help"));
  }

  static String[] args(String line) {
    return line.isBlank() ? new String[0] : line.trim().split("\\s+");
  }
}
