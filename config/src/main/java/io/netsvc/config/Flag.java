package io.netsvc.config;

import static io.netsvc.config.Mode.AGENT;
import static io.netsvc.config.Mode.SERVER;
import static io.netsvc.config.Mode.SIM;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every flag of {@code netsvc}: the picocli options and the config-file keys are both made from
 * this table, so the two can never disagree.
 */
enum Flag {
  CONFIG(
      "config",
      "c",
      Kind.STRING,
      all(),
      "FILE",
      "(config) Load configuration from FILE (YAML; keys are the long flag names)"),
  DISABLE(
      "disable",
      null,
      Kind.LIST,
      all(),
      "NAME",
      "(components) Do not deploy packaged components (valid items: "
          + Component.validNames()
          + ")"),
  SERVICELB_NAMESPACE(
      "servicelb-namespace",
      null,
      Kind.STRING,
      all(),
      "NS",
      "(networking) Namespace of the pods for the servicelb component (default: kube-system)"),
  KUBECONFIG(
      "kubeconfig",
      null,
      Kind.STRING,
      all(),
      "FILE",
      "(cluster) Kubernetes client config file of the server (default: $KUBECONFIG, else the"
          + " pod's ServiceAccount); agents need none"),
  BIND_ADDRESS(
      "bind-address",
      null,
      Kind.STRING,
      all(),
      "ADDR",
      "(cluster) Address the cluster transport and management HTTP bind to; sim: its API too"
          + " (default: 127.0.0.1)"),
  CLUSTER_PORT(
      "cluster-port",
      null,
      Kind.STRING,
      all(),
      "PORT",
      "(cluster) Port of the cluster transport (default: 25520; sim: 0 = any free port)"),
  SEED(
      "seed",
      null,
      Kind.LIST,
      all(),
      "HOST:PORT",
      "(cluster) Seed node of the cluster (repeatable, or comma-separated)"),
  DISCOVERY(
      "discovery",
      null,
      Kind.STRING,
      EnumSet.of(SERVER, AGENT),
      "kubernetes-api",
      "(cluster) Instead of --seed, in a Kubernetes pod: find the controller pods through the"
          + " Kubernetes API (Pekko Cluster Bootstrap) and form or join their cluster; needs"
          + " --bind-address (the pod's IP) and pods list in the pod's namespace (docs/deploy.md)"),
  MANAGEMENT_PORT(
      "management-port",
      null,
      Kind.STRING,
      all(),
      "PORT",
      "(cluster) Port of the management HTTP endpoint (default: 7626; sim: 0 = any free port)"),
  TLS_DIR(
      "tls-dir",
      null,
      Kind.STRING,
      all(),
      "DIR",
      "(cluster) Run the cluster transport over TLS with mutual authentication, with tls.crt,"
          + " tls.key (RSA) and ca.crt from DIR (a Kubernetes TLS Secret's layout); default: plain"
          + " TCP, unauthenticated"),
  AGENT_CHECK(
      "agent-check",
      null,
      Kind.STRING,
      EnumSet.of(SERVER, SIM),
      "node-address|off",
      "(cluster) Which agent may speak for a node: node-address (server default): one whose"
          + " cluster address is among the Node's addresses; off (sim default): any"),
  LOG_LEVEL(
      "log-level",
      null,
      Kind.STRING,
      EnumSet.allOf(Mode.class),
      "LEVEL",
      "(logging) One of error, warn, info, debug (default: info)"),
  LOG_FORMAT(
      "log-format",
      null,
      Kind.STRING,
      EnumSet.allOf(Mode.class),
      "text|json",
      "(logging) text (default), or json: one JSON object per line on stderr"),
  DISABLE_NETWORK_POLICY(
      "disable-network-policy",
      null,
      Kind.BOOL,
      all(),
      "true|false",
      "(components) Disable the network policy controller"),
  DISABLE_CLOUD_CONTROLLER(
      "disable-cloud-controller",
      null,
      Kind.BOOL,
      all(),
      "true|false",
      "(components) Disable the cloud controller stub"),
  DATA_DIR(
      "data-dir",
      "d",
      Kind.STRING,
      all(),
      "DIR",
      "(data) Folder to hold state (default: /var/lib/netsvc or ${HOME}/.netsvc if not root;"
          + " sim: ./.netsvc/data)"),
  NODE_NAME(
      "node-name",
      null,
      Kind.STRING,
      EnumSet.of(SERVER, AGENT),
      "NAME",
      "(agent/node) Node name (default: the hostname)"),
  NODE_IP(
      "node-ip",
      "i",
      Kind.LIST,
      EnumSet.of(SERVER, AGENT),
      "IP",
      "(agent/networking) IPv4/IPv6 addresses to advertise for node"),
  NODE_EXTERNAL_IP(
      "node-external-ip",
      null,
      Kind.LIST,
      EnumSet.of(SERVER, AGENT),
      "IP",
      "(agent/networking) IPv4/IPv6 external IP addresses to advertise for node"),
  NODE_INTERNAL_DNS(
      "node-internal-dns",
      null,
      Kind.LIST,
      EnumSet.of(SERVER, AGENT),
      "NAME",
      "(agent/networking) internal DNS addresses to advertise for node"),
  NODE_EXTERNAL_DNS(
      "node-external-dns",
      null,
      Kind.LIST,
      EnumSet.of(SERVER, AGENT),
      "NAME",
      "(agent/networking) external DNS addresses to advertise for node"),
  CLUSTER_DNS(
      "cluster-dns",
      null,
      Kind.LIST,
      EnumSet.of(SERVER, SIM),
      "IP",
      "(networking) Cluster IP(s) for the coredns service (default: 10.43.0.10)"),
  CLUSTER_DOMAIN(
      "cluster-domain",
      null,
      Kind.STRING,
      EnumSet.of(SERVER, SIM),
      "DOMAIN",
      "(networking) Cluster Domain (default: cluster.local)"),
  SYSTEM_DEFAULT_REGISTRY(
      "system-default-registry",
      null,
      Kind.STRING,
      EnumSet.of(SERVER, SIM),
      "REGISTRY",
      "(image) Private registry to be used for all system images (the svclb image too)"),
  NODES(
      "nodes",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "N",
      "(sim) Number of generated nodes, 1..5000 (default: 3)"),
  SCENARIO(
      "scenario",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "FILE",
      "(sim) YAML file describing the simulated nodes (instead of --nodes)"),
  MEMBERS(
      "members",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "K",
      "(sim) Number of netsvc cluster members to start, 0 to 9 (default: 1; 0: the API, the"
          + " simulated nodes and their agents, which `netsvc server --seed` processes join)"),
  API_PORT(
      "api-port",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "PORT",
      "(sim) Port of the embedded Kubernetes API (default: 0 = any free port)"),
  DATAPLANE(
      "dataplane",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "memory|netns",
      "(sim) Where NetworkPolicy rules go: memory (default), or netns: every node and pod is a"
          + " network namespace and policies are enforced with real packets (needs root)"),
  AGENTS(
      "agents",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "in-process|process",
      "(sim) With --dataplane=netns: process starts every node's agent as a separate `netsvc"
          + " agent` process inside the node's network namespace, joining the cluster over the"
          + " lab's network (default: in-process)"),
  KUBECONFIG_OUT(
      "kubeconfig-out",
      null,
      Kind.STRING,
      EnumSet.of(SIM),
      "FILE",
      "(sim) Where to write the kubeconfig for kubectl (default: ./.netsvc/kubeconfig)");

  /** How many values a flag takes. */
  enum Kind {
    STRING,
    LIST,
    BOOL
  }

  final String key;
  final String shortName;
  final Kind kind;
  final Set<Mode> modes;
  final String paramLabel;
  final String description;

  Flag(String key, String shortName, Kind kind, Set<Mode> modes, String label, String desc) {
    this.key = key;
    this.shortName = shortName;
    this.kind = kind;
    this.modes = modes;
    this.paramLabel = label;
    this.description = desc;
  }

  /** "--cluster-port", as typed and as picocli knows it. */
  String longName() {
    return "--" + key;
  }

  static Optional<Flag> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }

  /** The modes that run members (the clean-up command takes none of their flags). */
  private static Set<Mode> all() {
    return EnumSet.of(SERVER, AGENT, SIM);
  }
}
