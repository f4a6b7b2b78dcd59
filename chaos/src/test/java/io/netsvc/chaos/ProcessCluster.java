package io.netsvc.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A netsvc cluster of separate processes on this machine: {@code netsvc sim --members 0} (the API,
 * the simulated nodes and their agents, the seed) plus K {@code netsvc server} processes, each on
 * its own free Artery and Management port, so a killed one can be restarted on the same address.
 * Every process writes its log to target/chaos/NAME/, the sim also every write to its API with the
 * client's address (api-writes.log). {@link #close()} kills whatever is left. By default all run on
 * 127.0.0.1; a {@link Place} per process puts each on an address of its own (e.g. in a network
 * namespace). In pods mode ({@link #startWithPods}) the harness also plays the servers' kubelet
 * ({@link KubeletPods}) and the servers run the pod witness.
 */
final class ProcessCluster implements AutoCloseable {
  static final String CONTROLLER = "controller";
  static final String SIM = "sim";

  /** Where a process runs: the address it binds to, and the command it is started behind. */
  record Place(String address, List<String> wrapper) {
    static final Place LOOPBACK = new Place("127.0.0.1", List.of());
  }

  private static final String API_WRITES = "api-writes.log";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** A server process slot: its address stays, its process changes on restart. */
  static final class Server {
    final int index;
    final Place place;
    final int clusterPort;
    final int managementPort;
    Proc proc;
    int incarnation;

    Server(int index, Place place, int clusterPort, int managementPort) {
      this.index = index;
      this.place = place;
      this.clusterPort = clusterPort;
      this.managementPort = managementPort;
    }

    String name() {
      return "server-" + index;
    }

    String host() {
      return place.address();
    }

    String address() {
      return host() + ":" + clusterPort;
    }

    @Override
    public String toString() {
      return "server-" + index + " (" + address() + ")";
    }
  }

  private final Path dir;
  private final Proc sim;
  private final Path kubeconfig;
  private final String seed;
  private final List<Server> servers = new ArrayList<>();
  private final KubernetesClient client;
  private KubeletPods pods; // null unless in pods mode

  private ProcessCluster(Path dir, Proc sim, Path kubeconfig, String seed) throws IOException {
    this.dir = dir;
    this.sim = sim;
    this.kubeconfig = kubeconfig;
    this.seed = seed;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
  }

  /** Starts the sim and {@code k} servers; returns once all servers are Up. */
  static ProcessCluster start(String name, int nodes, int k) throws IOException {
    return start(name, nodes, k, process -> Place.LOOPBACK);
  }

  /**
   * As {@link #start(String, int, int)}, in pods mode: each server has a Pod in the sim's API that
   * the harness keeps as a kubelet would (running, terminated after a kill, running again after a
   * restart), and the servers run the pod witness on those pods.
   */
  static ProcessCluster startWithPods(String name, int nodes, int k) throws IOException {
    return start(name, nodes, k, process -> Place.LOOPBACK, true);
  }

  /** As {@link #start(String, int, int)}, each process ("sim", "server-1", …) at its place. */
  static ProcessCluster start(String name, int nodes, int k, Function<String, Place> places)
      throws IOException {
    return start(name, nodes, k, places, false);
  }

  private static ProcessCluster start(
      String name, int nodes, int k, Function<String, Place> places, boolean podsMode)
      throws IOException {
    Path dir = Path.of("target", "chaos", name).toAbsolutePath();
    Files.createDirectories(dir);
    // a previous run's logs would hold its kubeconfig and seed lines
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) if (p.toString().endsWith(".log")) Files.delete(p);
    }
    Place simPlace = places.apply(SIM);
    Proc sim =
        Proc.start(
            dir.resolve("sim.log"),
            simPlace.wrapper(),
            List.of("-Xmx512m", "-Dnetsvc.sim.write-log=" + dir.resolve(API_WRITES)),
            List.of(
                "sim",
                "--members",
                "0",
                "--bind-address",
                simPlace.address(),
                "--nodes",
                String.valueOf(nodes),
                "--kubeconfig-out",
                dir.resolve("kubeconfig").toString(),
                "--data-dir",
                dir.resolve("data").toString()));
    ProcessCluster c;
    try {
      Path kubeconfig = Path.of(sim.awaitLine("kubeconfig: ", Duration.ofSeconds(120)));
      String seed = sim.awaitLine("seed: ", Duration.ofSeconds(30));
      c = new ProcessCluster(dir, sim, kubeconfig, seed);
    } catch (RuntimeException e) {
      sim.killQuietly();
      throw e;
    }
    try {
      if (podsMode) c.pods = new KubeletPods(c.client);
      for (int i = 1; i <= k; i++) {
        Server s = new Server(i, places.apply("server-" + i), freePort(), freePort());
        c.servers.add(s);
        c.launch(s);
      }
      c.awaitStarted(Duration.ofSeconds(120));
      return c;
    } catch (RuntimeException | AssertionError e) {
      c.close();
      throw e;
    }
  }

  private void launch(Server s) {
    s.incarnation++;
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx384m"));
    if (pods != null) jvmOpts.addAll(KubeletPods.SERVER_OPTS);
    s.proc =
        Proc.start(
            dir.resolve(s.name() + "." + s.incarnation + ".log"),
            s.place.wrapper(),
            jvmOpts,
            List.of(
                "server",
                "--bind-address",
                s.host(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--seed",
                seed,
                "--cluster-port",
                String.valueOf(s.clusterPort),
                "--management-port",
                String.valueOf(s.managementPort),
                // the sim's one agent member speaks for every simulated node
                "--agent-check",
                "off"));
    if (pods != null) pods.started(s);
  }

  KubernetesClient client() {
    return client;
  }

  List<Server> servers() {
    return servers;
  }

  List<Server> alive() {
    return servers.stream().filter(s -> s.proc.alive()).toList();
  }

  /** SIGKILL; returns the exit status. */
  int kill9(Server s) {
    int code = s.proc.kill9();
    if (pods != null) pods.ended(s, code);
    return code;
  }

  /** SIGTERM and wait for the process to end; returns the exit status. */
  int sigterm(Server s) {
    int code = s.proc.sigterm(Duration.ofSeconds(60));
    if (pods != null) pods.ended(s, code);
    return code;
  }

  /** A new incarnation on the same host:port, joining the sim's seed. */
  void restart(Server s) {
    s.proc.killQuietly();
    // a process that ended by itself (e.g. exit 255 after it was downed) is reported now
    if (pods != null) pods.ended(s, s.proc.waitFor(Duration.ofSeconds(10)));
    launch(s);
  }

  /** The harness's kubelet in pods mode, else null. */
  KubeletPods pods() {
    return pods;
  }

  /** The server hosting the controller singletons and shard coordinators (oldest controller). */
  Server oldestController() {
    return await("the oldest controller")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(this::findOldest, Optional::isPresent)
        .orElseThrow();
  }

  private Optional<Server> findOldest() {
    for (Server from : alive()) {
      Optional<JsonNode> m = members(from);
      if (m.isEmpty()) continue;
      String oldest = m.get().path("oldestPerRole").path(CONTROLLER).asText("");
      return servers.stream().filter(s -> oldest.endsWith("@" + s.address())).findFirst();
    }
    return Optional.empty();
  }

  /** A server that is not the oldest controller. */
  Server nonOldestController() {
    Server oldest = oldestController();
    return servers.stream().filter(s -> s != oldest).findFirst().orElseThrow();
  }

  /** Every server that ended is started again, then all of them are Up. */
  void allServersUp(Duration within) {
    for (Server s : servers) if (!s.proc.alive()) restart(s);
    awaitControllersUp(servers.size(), within);
  }

  /**
   * Freezes {@code victim} (SIGSTOP) until the other servers have removed it, then lets it run
   * again; returns its exit status (a downed server exits). Still running a minute later, it fails
   * with the victim's threads and the cluster's state.
   */
  int freezeUntilRemoved(Server victim) {
    victim.proc.freeze(true);
    try {
      await(victim + " removed by the others")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> controllersUp() == servers.size() - 1 && othersDropped(victim));
    } finally {
      victim.proc.freeze(false);
    }
    int status = victim.proc.waitFor(Duration.ofSeconds(60));
    if (status == -1) {
      throw new AssertionError(
          victim
              + " still runs 60 s after the others removed it; its threads: "
              + victim.proc.threadDump()
              + state());
    }
    return status;
  }

  /**
   * Waits until every server is Up. A server that ends meanwhile (e.g. downed by the others after a
   * stall while 4–5 JVMs start on 2 cores; a downed server exits) is started again once, as its
   * Deployment would, and said so on stderr: the tests are about what happens after the start.
   */
  private void awaitStarted(Duration within) {
    List<Server> restarted = new ArrayList<>();
    awaitUp(
        servers.size(),
        within,
        () -> {
          for (Server s : servers) {
            if (s.proc.alive() || restarted.contains(s)) continue;
            System.err.println(
                s
                    + " exited "
                    + s.proc.waitFor(Duration.ZERO)
                    + " while the cluster formed (log: "
                    + s.proc.log()
                    + "); started again");
            restarted.add(s);
            restart(s);
          }
        });
  }

  /** Waits until exactly {@code n} controller members are Up and none is unreachable. */
  void awaitControllersUp(int n, Duration within) {
    awaitUp(n, within, () -> {});
  }

  /** As {@link #awaitControllersUp}, running {@code eachPoll} before each look; says why if not. */
  private void awaitUp(int n, Duration within, Runnable eachPoll) {
    try {
      await(n + " controller members Up")
          .atMost(within)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                eachPoll.run();
                return controllersUp() == n;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(n + " controller members not Up within " + within + state(), e);
    }
  }

  /**
   * What each server process is doing, for a failure message: running or its exit status, the
   * members its Management HTTP lists, and the end of its log (CI keeps only the test's output).
   */
  String state() {
    StringBuilder b = new StringBuilder();
    for (Server s : servers) {
      b.append("\n").append(s).append(": ");
      b.append(s.proc.alive() ? "running" : "exited " + s.proc.waitFor(Duration.ZERO));
      Optional<JsonNode> m = s.proc.alive() ? members(s) : Optional.empty();
      b.append(", /cluster/members ").append(m.map(JsonNode::toString).orElse("no answer"));
      b.append("\n  last lines of ").append(s.proc.log()).append(":");
      for (String line : s.proc.tail(15)) b.append("\n    ").append(line);
    }
    b.append("\nsim: ").append(sim.alive() ? "running" : "exited " + sim.waitFor(Duration.ZERO));
    for (String line : sim.tail(10)) b.append("\n    ").append(line);
    return b.toString();
  }

  /**
   * Controllers Up as every alive server that answers sees them: -1 while one of them sees a member
   * unreachable or two of them disagree (gossip has not converged yet), 0 if none answers. The
   * first server's view alone is not enough: a server that has not yet seen a newly Up member
   * counts one controller fewer, the very count a removal leaves.
   */
  int controllersUp() {
    Integer seen = null;
    for (Server from : alive()) {
      Optional<Integer> up = controllersUp(from);
      if (up.isEmpty()) continue;
      if (up.get() < 0 || (seen != null && !seen.equals(up.get()))) return -1;
      seen = up.get();
    }
    return seen == null ? 0 : seen;
  }

  /** True when every alive server but {@code victim} answers and lists no member at its address. */
  private boolean othersDropped(Server victim) {
    String node = "pekko://netsvc@" + victim.address();
    for (Server from : alive()) {
      if (from == victim) continue;
      Optional<JsonNode> m = members(from);
      if (m.isEmpty()) return false;
      for (JsonNode member : m.get().path("members")) {
        if (node.equals(member.path("node").asText())) return false;
      }
    }
    return true;
  }

  /**
   * Controllers Up as {@code from} sees them, -1 while it sees one unreachable, empty if it does
   * not answer.
   */
  Optional<Integer> controllersUp(Server from) {
    Optional<JsonNode> m = members(from);
    if (m.isEmpty()) return Optional.empty();
    if (m.get().path("unreachable").size() > 0) return Optional.of(-1);
    int up = 0;
    for (JsonNode member : m.get().path("members")) {
      boolean controller = false;
      for (JsonNode r : member.path("roles")) controller |= CONTROLLER.equals(r.asText());
      if (controller && "Up".equals(member.path("status").asText())) up++;
    }
    return Optional.of(up);
  }

  /** Members Up (any role, the sim's agent member too) as the first alive server sees them. */
  int membersUp() {
    for (Server from : alive()) {
      Optional<JsonNode> m = members(from);
      if (m.isEmpty()) continue;
      int up = 0;
      for (JsonNode member : m.get().path("members")) {
        if ("Up".equals(member.path("status").asText())) up++;
      }
      return up;
    }
    return 0;
  }

  /** GET /cluster/members of a server's Management HTTP, empty if it does not answer. */
  private static Optional<JsonNode> members(Server s) {
    return Management.get(s.host(), s.managementPort, "/cluster/members", Duration.ofSeconds(2))
        .filter(a -> a.code() == 200)
        .map(Management.Answer::body);
  }

  /**
   * GET {@code path} on the Management HTTP of the first alive server that answers it with 200 or
   * 404 (an entity's answer); else the last other answer (e.g. a 500 when an ask timed out), empty
   * if no server answered at all.
   */
  Optional<Management.Answer> management(String path) {
    Optional<Management.Answer> other = Optional.empty();
    for (Server s : alive()) {
      Optional<Management.Answer> a =
          Management.get(s.host(), s.managementPort, path, Duration.ofSeconds(6));
      if (a.isPresent() && (a.get().code() == 200 || a.get().code() == 404)) return a;
      if (a.isPresent()) other = a;
    }
    return other;
  }

  /** The HTTP status of a server's {@code /ready}, or -1 if it does not answer. */
  static int ready(Server s) {
    return Management.get(s.host(), s.managementPort, "/ready", Duration.ofSeconds(2))
        .map(Management.Answer::code)
        .orElse(-1);
  }

  /** Whether the sim's API answers HTTP at all (any status), within a second. */
  boolean apiAnswers() {
    try {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(client.getMasterUrl().toString()).resolve("/version"))
              .timeout(Duration.ofSeconds(1))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The sim's API, {@code http://HOST:PORT}. */
  URI apiUrl() {
    return URI.create(client.getConfiguration().getMasterUrl());
  }

  /** The sim's log of writes to its API: {@code <epoch ms> <client address> <method> <uri>}. */
  Path apiWrites() {
    return dir.resolve(API_WRITES);
  }

  /** {@code api down} on the sim's stdin; returns once the API refuses connections. */
  void apiDown() {
    sim.tell("api down");
    await("the sim's API down (log: " + sim.log() + ")")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !apiAnswers());
  }

  /** {@code api up} on the sim's stdin; returns once the API answers again. */
  void apiUp() {
    sim.tell("api up");
    await("the sim's API up again (log: " + sim.log() + ")")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(this::apiAnswers);
  }

  /** The sim process (API, simulated nodes, their agents' member). */
  Proc sim() {
    return sim;
  }

  /** Where the processes' logs are, for failure messages. */
  Path logs() {
    return dir;
  }

  /**
   * A port for a process to listen on, free now, never handed out before by this JVM, and below
   * Linux's ephemeral range (32768–60999 by default), from which the kernel picks the local ports
   * of outgoing connections and of other processes' bind(0): a port from that range, freed here and
   * bound seconds later by a starting JVM, could be taken by any of them meanwhile.
   */
  static synchronized int freePort() throws IOException {
    for (int tries = 0; tries < 2_000; tries++) {
      int port = nextPort++;
      if (nextPort >= 32_000) nextPort = 20_000;
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (IOException inUse) {
        // taken by something else on this machine: the next one
      }
    }
    throw new IOException("no free port in 20000-31999");
  }

  // per JVM, from a random start: two test JVMs on one machine rarely walk the same ports
  private static int nextPort = 20_000 + ThreadLocalRandom.current().nextInt(12_000);

  @Override
  public void close() {
    if (pods != null) pods.close();
    client.close();
    for (Server s : servers) if (s.proc != null) s.proc.killQuietly();
    sim.killQuietly();
  }
}
