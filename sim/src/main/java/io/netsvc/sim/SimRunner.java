package io.netsvc.sim;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.cluster.AgentDataplanes;
import io.netsvc.cluster.DeployWiring;
import io.netsvc.cluster.Member;
import io.netsvc.cluster.NetsvcMember;
import io.netsvc.cluster.ServiceLbWiring;
import io.netsvc.config.Settings;
import io.netsvc.config.SimNodeSpec;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.sim.api.SimApiServer;
import io.netsvc.sim.controllers.SimControllers;
import io.netsvc.sim.progress.Progress;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code netsvc sim}: an embedded Kubernetes API with simulated nodes, DaemonSet controller,
 * scheduler and kubelets, plus K netsvc members (controller + node agents) in this process. With
 * {@code --members 0} it runs one member with the node role only: it hosts every simulated node's
 * agent and is the seed that {@code netsvc server} processes started elsewhere join.
 */
public final class SimRunner implements AutoCloseable, SimConsole.Api {
  private final SimApiServer api;
  private final SimControllers controllers;
  private final List<NetsvcMember> members = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  /** With --members 0: the agents' member, the seed of servers started elsewhere. */
  private NetsvcMember agentHost;

  private final Path kubeconfig;
  private final SimLab lab;

  /** With --agents=process: the nodes' agents, each a process in its node's namespace. */
  private AgentProcesses agentProcesses;

  // each simulated node's in-memory kernel outlives the members, as a node's kernel outlives the
  // agent process: a restarted agent finds its predecessor's rules
  private final Map<String, InMemoryBackend> kernels =
      new java.util.concurrent.ConcurrentHashMap<>();
  private Settings settings;
  private boolean apiDown;

  /** Set by {@link #start(Settings, Function)}: every node's dataplane in place of the kernels. */
  private Function<String, NetpolDataplane> dataplane;

  /** While {@link #start} runs: where its steps are reported. */
  private Progress startProgress;

  private SimRunner(SimApiServer api, SimControllers controllers, Path kubeconfig, SimLab lab) {
    this.api = api;
    this.controllers = controllers;
    this.kubeconfig = kubeconfig;
    this.lab = lab;
  }

  /**
   * Starts everything; returns once the members are up. A start that takes longer than 10 s (a
   * large scenario) reports its progress on standard output every 10 s.
   */
  public static SimRunner start(Settings settings) throws Exception {
    try (Progress progress =
        Progress.start("sim", System.out, Duration.ofSeconds(10), Duration.ofSeconds(10))) {
      return start(settings, progress, null);
    }
  }

  /**
   * Starts everything with {@code dataplane} as every node's NetworkPolicy dataplane instead of the
   * in-memory kernels: for a benchmark of the control plane at a size where a simulated kernel per
   * node (each holding the rules and sets of every policy on its node) does not fit one JVM.
   */
  public static SimRunner start(Settings settings, Function<String, NetpolDataplane> dataplane)
      throws Exception {
    try (Progress progress =
        Progress.start("sim", System.out, Duration.ofSeconds(10), Duration.ofSeconds(10))) {
      return start(settings, progress, dataplane);
    }
  }

  private static SimRunner start(
      Settings settings, Progress progress, Function<String, NetpolDataplane> dataplane)
      throws Exception {
    progress.phase("starting the API", -1);
    if (settings.sim().netnsDataplane()) SimLab.requireHost();
    if (settings.sim().agentProcesses()) AgentProcesses.requireLauncher();
    // the API listens where the members do: a sim in a network namespace of its own serves it there
    SimApiServer api =
        SimApiServer.start(settings.cluster().bindAddress(), settings.sim().apiPort());
    Path kubeconfig = api.writeKubeconfig(settings.sim().kubeconfigOut()).toAbsolutePath();
    // Nodes wait for a cloud controller unless --disable-cloud-controller: with --members 0 the
    // members started elsewhere run it.
    boolean external = !settings.disableCloudController();
    SimControllers controllers =
        new SimControllers(
            api.newClient(), settings.sim().scenario(), external, settings.sim().netnsDataplane());
    AtomicLong registered = new AtomicLong();
    progress.phase("registering nodes", settings.sim().scenario().nodes().size(), registered::get);
    var synced = controllers.start(registered).toCompletableFuture(); // registers, then watches
    progress.phase("syncing the simulated cluster's watches", -1);
    synced.get(60, TimeUnit.SECONDS);
    SimLab lab = null;
    if (settings.sim().netnsDataplane()) {
      progress.phase("network lab", -1);
      try {
        lab = SimLab.start(settings.sim().scenario().nodes(), settings.sim().agentProcesses());
        lab.mirror(api.newClient());
      } catch (RuntimeException e) {
        controllers.close();
        api.close();
        throw e;
      }
    }
    SimRunner sim = new SimRunner(api, controllers, kubeconfig, lab);
    int k = settings.sim().members();
    progress.phase(
        k == 0 ? "starting the agents' member" : "starting members", Math.max(1, k), sim::started);
    sim.startProgress = progress;
    sim.dataplane = dataplane;
    try {
      sim.startMembers(settings);
    } finally {
      sim.startProgress = null;
    }
    return sim;
  }

  /** Members started so far (for the progress of a start). */
  private long started() {
    return agentHost != null ? 1 : members.size();
  }

  /** Stops the members (the API and simulated nodes stay) and starts them with new settings. */
  public void restartMembers(Settings next) throws Exception {
    stopMembers();
    startMembers(next);
  }

  private void startMembers(Settings s) throws Exception {
    settings = s;
    startMembersHere(s);
    if (s.sim().agentProcesses()) {
      NetsvcMember seed = agentHost != null ? agentHost : members.get(0);
      agentProcesses =
          AgentProcesses.start(
              s, lab, seed.member().hostPort(), kubeconfig.getParent().resolve("agents"));
      if (startProgress != null) startProgress.phase("waiting for the agent processes", -1);
      awaitAgentsUp(seed);
    }
  }

  private void startMembersHere(Settings s) throws Exception {
    int k = s.sim().members();
    if (k == 0) {
      startAgentHost(s);
      return;
    }
    List<Map<String, AgentIdentity>> agents =
        s.sim().agentProcesses()
            ? java.util.Collections.nCopies(k, Map.of())
            : spread(s.sim().scenario().nodes(), k);
    String seed = null;
    for (int i = 0; i < k; i++) {
      int mgmt =
          i == 0 && s.cluster().managementPort() > 0 ? s.cluster().managementPort() : freePort();
      Member.Spec spec =
          new Member.Spec(
              s.cluster().systemName(),
              clusterHost(s),
              i == 0 ? s.cluster().clusterPort() : 0,
              seed == null ? List.of() : List.of(seed),
              Set.of(ServiceLbWiring.CONTROLLER_ROLE, ServiceLbWiring.NODE_ROLE),
              s.cluster().bindAddress(),
              mgmt,
              false,
              s.cluster().tlsDir());
      KubernetesClient client = api.newClient(userAgent(i), CONTROLLER_TOKEN);
      clients.add(client);
      NetsvcMember m =
          NetsvcMember.start(
              spec, client, s, agents.get(i), dataplanes(s, lab, kernels, dataplane));
      members.add(m);
      if (seed == null) seed = m.member().hostPort();
    }
    if (startProgress != null) {
      startProgress.phase("waiting for the members to be Up with their shard regions", -1);
    }
    awaitUp(k);
  }

  /**
   * --members 0: one member with the node role only, hosting every node's agent. It forms the
   * cluster alone (Join needs no role); shards and singletons are the controller role's, so they
   * start once a {@code netsvc server} joins, and the agents register with their NodeActors then.
   */
  private void startAgentHost(Settings s) throws Exception {
    Member.Spec spec =
        new Member.Spec(
            s.cluster().systemName(),
            clusterHost(s),
            s.cluster().clusterPort(),
            s.cluster().seedNodes(),
            Set.of(ServiceLbWiring.NODE_ROLE),
            s.cluster().bindAddress(),
            s.cluster().managementPort() > 0 ? s.cluster().managementPort() : freePort(),
            false,
            s.cluster().tlsDir());
    agentHost =
        NetsvcMember.start(
            spec,
            null,
            s,
            s.sim().agentProcesses() ? Map.of() : spread(s.sim().scenario().nodes(), 1).get(0),
            dataplanes(s, lab, kernels, dataplane));
    var cluster = org.apache.pekko.cluster.typed.Cluster.get(agentHost.member().system());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.selfMember().status() != org.apache.pekko.cluster.MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agents' member did not come up within 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Where the members' cluster transport listens: with agent processes, this host's address on the
   * lab's fabric, which the agents in the node namespaces reach (they have no loopback to it).
   */
  private String clusterHost(Settings s) {
    return s.sim().agentProcesses() ? lab.hostAddress() : s.cluster().bindAddress();
  }

  /** Every node's agent process has joined: a member Up on the node's address. */
  private void awaitAgentsUp(NetsvcMember seed) throws InterruptedException {
    var cluster = org.apache.pekko.cluster.typed.Cluster.get(seed.member().system());
    Set<String> wanted = new java.util.TreeSet<>();
    agentProcesses.nodes().forEach(n -> wanted.add(agentProcesses.address(n)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Set<String> up = Set.of();
    while (System.nanoTime() < deadline) {
      up =
          java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
              .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up())
              .map(m -> m.address().host().getOrElse(() -> ""))
              .collect(java.util.stream.Collectors.toSet());
      if (up.containsAll(wanted)) return;
      Thread.sleep(100);
    }
    Set<String> missing = new java.util.TreeSet<>(wanted);
    missing.removeAll(up);
    throw new IllegalStateException(
        "the agents on "
            + missing
            + " did not join within 120 s; see their logs in "
            + kubeconfig.getParent().resolve("agents"));
  }

  /** Shards are placed on members that are Up, so wait for all before traffic arrives. */
  private void awaitUp(int k) throws InterruptedException {
    var cluster = org.apache.pekko.cluster.typed.Cluster.get(members.get(0).member().system());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long up =
          java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
              .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up())
              .count();
      if (up >= k && regionsRegistered(k)) return;
      Thread.sleep(50);
    }
    throw new IllegalStateException("only some of the " + k + " members came up within 30 s");
  }

  /** Every member's shard regions are known to the coordinators, so new shards spread. */
  private boolean regionsRegistered(int k) {
    var system = members.get(0).member().system();
    var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(system);
    for (var key :
        java.util.List.of(
            io.netsvc.actors.servicelb.ServiceActor.TYPE_KEY,
            io.netsvc.actors.node.NodeActor.TYPE_KEY,
            io.netsvc.actors.servicelb.PoolActor.TYPE_KEY)) {
      try {
        var stats =
            org.apache.pekko.actor.typed.javadsl.AskPattern
                .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                    org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats>
                    ask(
                        sharding.shardState(),
                        replyTo ->
                            new org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats(
                                key, java.time.Duration.ofSeconds(2), replyTo),
                        java.time.Duration.ofSeconds(3),
                        system.scheduler())
                .toCompletableFuture()
                .get(4, TimeUnit.SECONDS);
        if (stats.getRegions().size() < k) return false;
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  private void stopMembers() {
    // the nodes' agents leave first, as a cluster's nodes drain before its control plane stops
    if (agentProcesses != null) agentProcesses.close();
    agentProcesses = null;
    for (int i = members.size() - 1; i >= 0; i--) members.get(i).close();
    members.clear();
    if (agentHost != null) agentHost.close();
    agentHost = null;
    clients.forEach(KubernetesClient::close);
    clients.clear();
  }

  /**
   * The simulated nodes' NetworkPolicy dataplanes: rendered and applied exactly as on a real node,
   * into an in-memory backend (no root needed), or with {@code --dataplane=netns} into the node's
   * network namespace (IPv4); pod CIDRs as the simulated kubelets allocate them.
   */
  private static AgentDataplanes dataplanes(
      Settings s,
      SimLab lab,
      Map<String, InMemoryBackend> kernels,
      Function<String, NetpolDataplane> instead) {
    List<SimNodeSpec> nodes = s.sim().scenario().nodes();
    Map<String, List<String>> cidrs = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      boolean dual = nodes.get(i).internalIPs().stream().anyMatch(ip -> ip.contains(":"));
      cidrs.put(nodes.get(i).name(), SimControllers.podCidrs(i, dual));
    }
    if (instead != null)
      return new AgentDataplanes(instead, node -> cidrs.getOrDefault(node, List.of()));
    return new AgentDataplanes(
        node ->
            new RenderingDataplane(
                lab == null
                    ? kernels.computeIfAbsent(node, n -> new InMemoryBackend())
                    : new NetnsBackend(lab.nodeNamespace(node)),
                lab == null
                        && cidrs.getOrDefault(node, List.of()).stream()
                            .anyMatch(c -> c.contains(":"))
                    ? EnumSet.of(IpFamily.IPV4, IpFamily.IPV6)
                    : EnumSet.of(IpFamily.IPV4)),
        node -> cidrs.getOrDefault(node, List.of()));
  }

  /** The nodes' agents, round-robin over k members, each with the scenario's addresses. */
  private static List<Map<String, AgentIdentity>> spread(List<SimNodeSpec> nodes, int k) {
    List<Map<String, AgentIdentity>> out = new ArrayList<>();
    for (int i = 0; i < k; i++) out.add(new LinkedHashMap<>());
    for (int i = 0; i < nodes.size(); i++) {
      SimNodeSpec n = nodes.get(i);
      out.get(i % k)
          .put(
              n.name(),
              new AgentIdentity(n.internalIPs(), n.externalIPs(), List.of(), List.of(), n.name()));
    }
    return out;
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public KubernetesClient newClient() {
    return api.newClient();
  }

  /**
   * The bearer token of the members' clients: the API records their requests under it (apart from
   * the simulated cluster's and the user's), and the RBAC test checks them against deploy/.
   */
  public static final String CONTROLLER_TOKEN = "netsvc-controller";

  /** The User-Agent of member {@code i}'s client (from 0), so the API can tell members apart. */
  static String userAgent(int i) {
    return "netsvc-member-" + (i + 1);
  }

  /** The watches member {@code i} (from 0) has open on the API now, by resource (e.g. "pods"). */
  public Map<String, Integer> openWatches(int i) {
    return api.openWatches(userAgent(i));
  }

  /** With --agents=process: the process id of the node's agent now (for a kill -9 from outside). */
  public long agentPid(String node) {
    if (agentProcesses == null) throw new IllegalStateException("the agents are not processes");
    return agentProcesses.pid(node);
  }

  /**
   * With --dataplane=netns: whether pod {@code ns/pod} reaches {@code ip:port} (TCP handshake or
   * UDP echo) within {@code timeout}; {@code ip} must be an address of the lab.
   */
  public boolean probe(
      String ns, String pod, String ip, int port, String protocol, java.time.Duration timeout)
      throws io.netsvc.nodeagent.netpol.backend.BackendException {
    if (lab == null)
      throw new IllegalStateException("no network lab: start with --dataplane=netns");
    return lab.probe(ns, pod, ip, port, protocol, timeout);
  }

  /** The in-memory kernel of a simulated node (null with {@code --dataplane=netns}). */
  InMemoryBackend kernel(String node) {
    return kernels.get(node);
  }

  public Settings settings() {
    return settings;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The API, for what tests ask of it (e.g. the requests a token made). */
  public SimApiServer api() {
    return api;
  }

  public String apiUrl() {
    return api.url();
  }

  /**
   * An API outage begins: the API stops listening and drops every connection and watch (the sim's
   * own nodes and controllers lose it too), keeping its objects.
   *
   * @return false if it was down already
   */
  @Override
  public synchronized boolean apiDown() {
    if (apiDown) return false;
    api.stopListening();
    apiDown = true;
    return true;
  }

  /**
   * The outage ends: the API listens again on the same address with the objects it had.
   *
   * @return false if it was up already
   */
  @Override
  public synchronized boolean apiUp() {
    if (!apiDown) return false;
    api.listenAgain();
    apiDown = false;
    return true;
  }

  /** The members with the controller role started here (none with --members 0). */
  public List<NetsvcMember> members() {
    return members;
  }

  /** With --members 0: "host:port" for {@code netsvc server --seed}; otherwise empty. */
  public java.util.Optional<String> seed() {
    return java.util.Optional.ofNullable(agentHost).map(m -> m.member().hostPort());
  }

  public void printBanner(PrintStream out, int nodes) {
    out.println(
        "netsvc sim: Kubernetes API " + api.url() + " with " + nodes + " simulated node(s)");
    out.println("kubeconfig: " + kubeconfig);
    seed()
        .ifPresent(
            seed -> {
              out.println("seed: " + seed);
              // the agents' apply timings (netsvc_netpol_apply_seconds) are this member's
              out.println("agents' metrics: " + agentHost.member().managementUrl() + "/metrics");
              out.println(
                  "start servers with:  ./netsvc server --kubeconfig "
                      + kubeconfig
                      + " --seed "
                      + seed
                      + (agentProcesses != null ? " --bind-address " + lab.hostAddress() : "")
                      + " --cluster-port 0 --management-port 0");
            });
    for (int i = 0; i < members.size(); i++) {
      out.println(
          "management"
              + (members.size() > 1 ? " (member " + (i + 1) + ")" : "")
              + ": "
              + members.get(i).member().managementUrl());
    }
    if (!members.isEmpty()) {
      out.println("manifests: " + DeployWiring.manifestsDir(settings) + " (drop a .yaml here)");
    }
    if (lab != null) {
      out.println(
          "dataplane: netns — pods are network namespaces "
              + SimLab.PREFIX
              + "-<namespace>-<pod>; probe with: ip netns exec "
              + SimLab.PREFIX
              + "-<ns>-<pod> bash -c 'echo > /dev/tcp/<pod IP>/<port>'");
    }
    if (agentProcesses != null) {
      out.println(
          "agents: one `netsvc agent` process per node in its namespace, joined via "
              + lab.hostAddress()
              + "; logs in "
              + kubeconfig.getParent().resolve("agents"));
    }
    out.println("try:  export KUBECONFIG=" + kubeconfig);
    out.println("      kubectl apply -f examples/loadbalancer.yaml && kubectl get svc -w");
    out.println("type 'api down' / 'api up' here for an API outage ('help' lists the commands)");
    out.println("Ctrl-C stops everything.");
    out.flush();
  }

  /** Youngest member first (a graceful hand-over of singletons and shards), then the API. */
  @Override
  public void close() {
    stopMembers();
    if (lab != null) lab.close();
    controllers.close();
    api.close();
  }
}
