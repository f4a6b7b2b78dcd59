package io.netsvc.config;

import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Turns raw flag values (command line merged with config file) into validated {@link Settings}. */
final class SettingsBuilder {

  static final String SYSTEM_NAME = "netsvc";
  private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug");

  private final Mode mode;
  private final Map<Flag, Given> given;
  private final Map<String, String> env;
  private final Host host;

  private SettingsBuilder(Mode mode, Map<Flag, Given> given, Map<String, String> env, Host host) {
    this.mode = mode;
    this.given = given;
    this.env = env;
    this.host = host;
  }

  static Settings build(Mode mode, Map<Flag, Given> given, Map<String, String> env, Host host) {
    return new SettingsBuilder(mode, given, env, host).build();
  }

  private Settings build() {
    boolean sim = mode == Mode.SIM;
    String namespace = string(Flag.SERVICELB_NAMESPACE, "kube-system");
    if (!HostNames.isDnsLabel(namespace)) {
      throw invalid(
          Flag.SERVICELB_NAMESPACE,
          namespace,
          "not a valid namespace name (DNS-1123 label: lower-case a-z, 0-9 and '-', at most 63)");
    }
    String logLevel = string(Flag.LOG_LEVEL, "info").toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw invalid(Flag.LOG_LEVEL, logLevel, "valid levels are error, warn, info, debug");
    }
    String format = string(Flag.LOG_FORMAT, "text");
    LogFormat logFormat =
        LogFormat.ofFlagValue(format)
            .orElseThrow(() -> invalid(Flag.LOG_FORMAT, format, "valid formats are text, json"));
    ClusterSettings cluster =
        new ClusterSettings(
            checked(
                Flag.BIND_ADDRESS,
                string(Flag.BIND_ADDRESS, "127.0.0.1"),
                h -> HostNames.host(h, false)),
            number(Flag.CLUSTER_PORT, sim ? 0 : 25520, 0, 65535),
            list(Flag.SEED, HostNames::hostPort),
            number(Flag.MANAGEMENT_PORT, sim ? 0 : 7626, 0, 65535),
            SYSTEM_NAME,
            tlsDir(),
            agentCheck(sim),
            discovery());
    return new Settings(
        mode,
        disabled(),
        namespace,
        kubeconfig(),
        cluster,
        node(),
        sim(),
        logLevel,
        logFormat,
        bool(Flag.DISABLE_NETWORK_POLICY),
        bool(Flag.DISABLE_CLOUD_CONTROLLER),
        dataDir(sim),
        deploy());
  }

  private boolean agentProcesses() {
    String agents = string(Flag.AGENTS, "in-process");
    if (!agents.equals("in-process") && !agents.equals("process")) {
      throw invalid(Flag.AGENTS, agents, "valid values are in-process, process");
    }
    return agents.equals("process");
  }

  private Optional<Path> tlsDir() {
    if (!given.containsKey(Flag.TLS_DIR)) return Optional.empty();
    String value = string(Flag.TLS_DIR, null);
    Path dir = host.resolve(value);
    try {
      TlsDir.check(dir);
    } catch (IllegalArgumentException e) {
      throw invalid(Flag.TLS_DIR, value, e.getMessage());
    }
    return Optional.of(dir);
  }

  // Bootstrap's contact points are the pods' IPs: a member must listen there, and a seed list
  // next to it would stop the bootstrap from running at all
  private Discovery discovery() {
    if (!given.containsKey(Flag.DISCOVERY)) return Discovery.SEEDS;
    String value = string(Flag.DISCOVERY, null);
    Discovery d =
        Discovery.ofFlagValue(value)
            .orElseThrow(() -> invalid(Flag.DISCOVERY, value, "the valid value is kubernetes-api"));
    if (!list(Flag.SEED, UnaryOperator.identity()).isEmpty()) {
      throw new UsageException(
          "--seed and --discovery cannot be used together (--discovery finds the members"
              + " itself; --seed is for hosts outside Kubernetes)");
    }
    if (!given.containsKey(Flag.BIND_ADDRESS)) {
      throw new UsageException(
          "--discovery "
              + value
              + " needs --bind-address: the pod's IP, where the other members probe this one"
              + " (e.g. --bind-address=$(POD_IP))");
    }
    return d;
  }

  // the sim hosts every simulated node's agent in one process, on its own address, unless each
  // agent is a process of its own on its node's address
  private AgentCheck agentCheck(boolean sim) {
    if (!given.containsKey(Flag.AGENT_CHECK)) {
      return sim && !agentProcesses() ? AgentCheck.OFF : AgentCheck.NODE_ADDRESS;
    }
    String value = string(Flag.AGENT_CHECK, null);
    return AgentCheck.ofFlagValue(value)
        .orElseThrow(() -> invalid(Flag.AGENT_CHECK, value, "valid values are node-address, off"));
  }

  // netsvc's own directory, laid out like K3s's but never K3s's: next to a K3s on the same host
  // the two deployers would otherwise write the same manifests. The simulated cluster's stay next
  // to its kubeconfig.
  private Path dataDir(boolean sim) {
    if (given.containsKey(Flag.DATA_DIR)) return host.resolve(string(Flag.DATA_DIR, null));
    if (sim) return host.cwd().resolve(".netsvc").resolve("data");
    return host.root() ? Path.of("/var/lib/netsvc") : host.home().resolve(".netsvc");
  }

  private DeploySettings deploy() {
    List<String> dns = ips(Flag.CLUSTER_DNS);
    String domain = string(Flag.CLUSTER_DOMAIN, DeploySettings.DEFAULTS.clusterDomain());
    if (!HostNames.isDnsSubdomain(domain)) {
      throw invalid(
          Flag.CLUSTER_DOMAIN, domain, "not a valid DNS domain (lower-case a-z, 0-9, '-', '.')");
    }
    String registry = string(Flag.SYSTEM_DEFAULT_REGISTRY, "");
    if (registry.chars().anyMatch(Character::isWhitespace) || registry.endsWith("/")) {
      throw invalid(
          Flag.SYSTEM_DEFAULT_REGISTRY,
          registry,
          "a registry host[:port][/path], without spaces or a trailing '/'");
    }
    return new DeploySettings(
        dns.isEmpty() ? DeploySettings.DEFAULTS.clusterDns() : dns, domain, registry);
  }

  private Set<Component> disabled() {
    Set<Component> out = EnumSet.noneOf(Component.class);
    for (String name : list(Flag.DISABLE, UnaryOperator.identity())) {
      out.add(
          Component.fromK3sName(name)
              .orElseThrow(
                  () ->
                      invalid(
                          Flag.DISABLE,
                          name,
                          "unknown component (valid: " + Component.validNames() + ")")));
    }
    return out;
  }

  private Optional<Path> kubeconfig() {
    if (given.containsKey(Flag.KUBECONFIG)) {
      return Optional.of(existingFile(Flag.KUBECONFIG, string(Flag.KUBECONFIG, null)));
    }
    String fromEnv = env.get("KUBECONFIG");
    if (mode == Mode.SIM || fromEnv == null || fromEnv.isBlank()) {
      return Optional.empty();
    }
    // like kubectl, KUBECONFIG may be a list; the first file that exists is the one used
    List<String> entries =
        List.of(fromEnv.split(java.io.File.pathSeparator)).stream()
            .filter(s -> !s.isBlank())
            .toList();
    for (String entry : entries) {
      Path p = host.resolve(entry);
      if (Files.isRegularFile(p)) {
        if (!Files.isReadable(p)) {
          throw new UsageException("KUBECONFIG file " + p + " is not readable");
        }
        return Optional.of(p);
      }
    }
    throw new UsageException("KUBECONFIG names no existing file: " + fromEnv);
  }

  private NodeSettings node() {
    String name = string(Flag.NODE_NAME, host.hostname());
    if (mode == Mode.SIM || mode == Mode.CLEANUP_NETWORK_POLICY) {
      return new NodeSettings(name, List.of(), List.of()); // sim nodes come from the scenario
    }
    if (!HostNames.isDnsSubdomain(name)) {
      throw given.containsKey(Flag.NODE_NAME)
          ? invalid(
              Flag.NODE_NAME,
              name,
              "not a valid node name (DNS-1123 subdomain: lower-case a-z, 0-9, '-', '.')")
          : new UsageException(
              "the hostname '" + name + "' is not a valid node name; set --node-name");
    }
    return new NodeSettings(
        name,
        ips(Flag.NODE_IP),
        ips(Flag.NODE_EXTERNAL_IP),
        list(Flag.NODE_INTERNAL_DNS, SettingsBuilder::dnsName),
        list(Flag.NODE_EXTERNAL_DNS, SettingsBuilder::dnsName));
  }

  private static String dnsName(String name) {
    if (!HostNames.isDnsSubdomain(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("not a DNS name");
    }
    return name;
  }

  private List<String> ips(Flag flag) {
    return list(
        flag,
        ip ->
            IpAddress.parse(ip, Syntax.GO)
                .map(IpAddress::toString)
                .orElseThrow(() -> new IllegalArgumentException("not an IPv4 or IPv6 address")));
  }

  private SimSettings sim() {
    if (given.containsKey(Flag.NODES) && given.containsKey(Flag.SCENARIO)) {
      throw new UsageException(
          "--nodes and --scenario cannot be used together (a scenario file lists its nodes)");
    }
    int members = number(Flag.MEMBERS, 1, 0, 9);
    int apiPort = number(Flag.API_PORT, 0, 0, 65535);
    String dataplane = string(Flag.DATAPLANE, "memory");
    if (!dataplane.equals("memory") && !dataplane.equals("netns")) {
      throw invalid(Flag.DATAPLANE, dataplane, "valid dataplanes are memory, netns");
    }
    boolean netns = dataplane.equals("netns");
    boolean processes = agentProcesses();
    if (processes && !netns) {
      throw new UsageException(
          "--agents=process needs --dataplane=netns (the agents program nodes' network namespaces)");
    }
    Path kubeconfigOut =
        given.containsKey(Flag.KUBECONFIG_OUT)
            ? host.resolve(string(Flag.KUBECONFIG_OUT, null))
            : host.cwd().resolve(".netsvc").resolve("kubeconfig");
    if (given.containsKey(Flag.SCENARIO)) {
      Path file = existingFile(Flag.SCENARIO, string(Flag.SCENARIO, null));
      Scenario scenario = ScenarioFile.load(file);
      return new SimSettings(
          scenario.nodes().size(),
          Optional.of(file),
          scenario,
          members,
          apiPort,
          kubeconfigOut,
          netns,
          processes);
    }
    int nodes = number(Flag.NODES, 3, 1, ScenarioFile.MAX_NODES);
    return new SimSettings(
        nodes,
        Optional.empty(),
        Scenarios.generate(nodes),
        members,
        apiPort,
        kubeconfigOut,
        netns,
        processes);
  }

  private Path existingFile(Flag flag, String value) {
    Path p = host.resolve(value);
    if (!Files.exists(p)) {
      throw invalid(flag, value, "no such file");
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw invalid(flag, value, "not a readable file");
    }
    return p;
  }

  private String string(Flag flag, String fallback) {
    Given g = given.get(flag);
    return g == null ? fallback : g.last().strip();
  }

  private boolean bool(Flag flag) {
    String v = string(flag, "false").toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw invalid(flag, v, "expected true or false");
    }
    return v.equals("true");
  }

  private int number(Flag flag, int fallback, int min, int max) {
    String v = string(flag, null);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw invalid(flag, v, "not a number");
    }
    if (n < min || n > max) {
      throw invalid(flag, v, "must be between " + min + " and " + max);
    }
    return n;
  }

  /** All values of a repeatable flag, each also split at commas as K3s does; blanks dropped. */
  private List<String> list(Flag flag, UnaryOperator<String> check) {
    List<String> out = new ArrayList<>();
    Given g = given.get(flag);
    if (g != null) {
      for (String value : g.values()) {
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            out.add(checked(flag, item.strip(), check));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private String checked(Flag flag, String value, UnaryOperator<String> check) {
    try {
      return check.apply(value);
    } catch (IllegalArgumentException e) {
      throw invalid(flag, value, e.getMessage());
    } catch (UsageException e) {
      throw new UsageException(e.getMessage() + origin(flag));
    }
  }

  private UsageException invalid(Flag flag, String value, String why) {
    return new UsageException(
        "invalid " + flag.longName() + " '" + value + "'" + origin(flag) + ": " + why);
  }

  private String origin(Flag flag) {
    Given g = given.get(flag);
    return g == null ? "" : g.origin();
  }
}
