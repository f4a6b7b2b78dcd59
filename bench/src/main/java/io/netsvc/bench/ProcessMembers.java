package io.netsvc.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A benchmark's cluster as separate processes, as on real hosts: {@code netsvc sim --members 0}
 * (the API, the simulated nodes and the member hosting their agents, which is the seed) plus K
 * {@code netsvc server} JVMs joined to it, each on free ports. Every process logs to a file under
 * bench/target/members/NAME/; {@link #watch()} follows the members while the load runs. The JVMs
 * run with the JVM's default collector and JIT (what the image runs); heaps from {@code
 * -Dnetsvc.bench.sim-heap} (default 6g) and {@code -Dnetsvc.bench.server-heap} (default 2g), more
 * options for every process from the environment's {@code NETSVC_MEMBER_JVM_OPTS}.
 */
final class ProcessMembers implements AutoCloseable {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** A {@code netsvc server} process: its log and its Management HTTP port. */
  record Server(String name, Process process, Path log, int managementPort) {}

  private final Path dir;
  private final Process sim;
  private final Path simLog;
  private final List<Server> servers = new ArrayList<>();
  private final Path kubeconfig;
  private MemberWatch watch;
  private String agentMetrics;

  private ProcessMembers(Path dir, Process sim, Path simLog, Path kubeconfig) {
    this.dir = dir;
    this.sim = sim;
    this.simLog = simLog;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts the sim with {@code nodes} nodes and {@code flags}, then {@code k} servers with the same
   * {@code flags} (what they run: e.g. --disable-network-policy); returns once every server sees k
   * controllers Up.
   */
  static ProcessMembers start(String name, int nodes, int k, List<String> flags) throws Exception {
    Path dir = logsRoot().resolve(name);
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) if (p.toString().endsWith(".log")) Files.delete(p);
    }
    Path data = Files.createTempDirectory("netsvc-bench-members");
    List<String> simArgs =
        new ArrayList<>(
            List.of(
                "sim",
                "--members",
                "0",
                "--nodes",
                String.valueOf(nodes),
                "--kubeconfig-out",
                data.resolve("kubeconfig").toString(),
                "--data-dir",
                data.toString()));
    simArgs.addAll(flags);
    Path simLog = dir.resolve("sim.log");
    Process sim = launch(simLog, System.getProperty("netsvc.bench.sim-heap", "6g"), simArgs);
    ProcessMembers m;
    try {
      Path kubeconfig = Path.of(awaitLine(sim, simLog, "kubeconfig: "));
      m = new ProcessMembers(dir, sim, simLog, kubeconfig);
    } catch (RuntimeException e) {
      sim.destroyForcibly();
      throw e;
    }
    // Ctrl-C, or System.exit after a downing: no JVM left behind
    Runtime.getRuntime().addShutdownHook(new Thread(m::close, "members-close"));
    try {
      String seed = awaitLine(sim, simLog, "seed: ");
      m.agentMetrics = awaitLine(sim, simLog, "agents' metrics: ");
      for (int i = 1; i <= k; i++) {
        int mgmt = freePort();
        List<String> args =
            new ArrayList<>(
                List.of(
                    "server",
                    "--kubeconfig",
                    m.kubeconfig.toString(),
                    "--seed",
                    seed,
                    "--cluster-port",
                    String.valueOf(freePort()),
                    "--management-port",
                    String.valueOf(mgmt),
                    // the sim's one agent member speaks for every simulated node
                    "--agent-check",
                    "off"));
        args.addAll(flags);
        Path log = dir.resolve("server-" + i + ".log");
        Process p = launch(log, System.getProperty("netsvc.bench.server-heap", "2g"), args);
        m.servers.add(new Server("server-" + i, p, log, mgmt));
      }
      m.watch = new MemberWatch(m.servers, simLog);
      if (k > 0) m.watch.awaitControllersUp(k, Duration.ofMinutes(3));
      // a downing makes the rest of the run meaningless: report it and stop at once
      m.watch.start();
      System.out.printf("members: sim + %d server processes, logs in %s%n", k, dir);
      return m;
    } catch (Exception | Error e) {
      m.close();
      throw e;
    }
  }

  /** A new client of the sim's API. */
  KubernetesClient newClient() throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  /** Follows membership (Management HTTP) and, at the end, the processes' logs. */
  MemberWatch watch() {
    return watch;
  }

  List<Server> servers() {
    return servers;
  }

  /** The pid of the {@code netsvc sim --members 0} process (its CPU is measured apart). */
  long simPid() {
    return sim.pid();
  }

  /** {@code /metrics} of every member: the servers' and the sim's agents' member. */
  List<String> metricsUrls() {
    List<String> urls = new ArrayList<>();
    servers.forEach(s -> urls.add("http://127.0.0.1:" + s.managementPort() + "/metrics"));
    if (agentMetrics != null) urls.add(agentMetrics);
    return urls;
  }

  @Override
  public void close() {
    if (watch != null) watch.stop();
    for (Server s : servers) s.process().destroyForcibly();
    sim.destroyForcibly();
  }

  private static Process launch(Path log, String heap, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx" + heap));
    // e.g. NETSVC_MEMBER_JVM_OPTS="-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=2s"
    // to try a setting: Pekko reads system properties over application.conf
    String extra = System.getenv().getOrDefault("NETSVC_MEMBER_JVM_OPTS", "").strip();
    if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
    // every collector pause with its duration: tells a GC pause from CPU starvation when a
    // heartbeat was late (MemberWatch reads it)
    cmd.add("-Xlog:gc,gc+cpu:file=" + MemberWatch.gcLog(log) + ":time,uptime");
    // the launcher jar and the module jars both carry logback.xml: no status dump
    cmd.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.netsvc.launcher.Main"));
    cmd.addAll(args);
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /** The rest of the first line of {@code log} that starts with {@code prefix}, within 2 min. */
  private static String awaitLine(Process p, Path log, String prefix) throws IOException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Optional<String> line =
            Files.readAllLines(log).stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).strip())
                .findFirst();
        if (line.isPresent()) return line.get();
      }
      if (!p.isAlive()) throw new IllegalStateException("process ended; see " + log);
      sleep(100);
    }
    throw new IllegalStateException("no line '" + prefix + "…' in " + log + " within 2 min");
  }

  /** bench/target/members when run from the bench jar (scripts/bench-*), else a temp dir. */
  private static Path logsRoot() throws IOException {
    try {
      Path jar =
          Path.of(ProcessMembers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.getParent() != null && jar.getParent().getFileName().toString().equals("target")) {
        return jar.getParent().resolve("members");
      }
    } catch (Exception e) {
      // no code source: fall through
    }
    return Files.createTempDirectory("netsvc-bench-logs");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
