package io.netsvc.sim;

import io.netsvc.cluster.StartupException;
import io.netsvc.config.Settings;
import io.netsvc.config.SimNodeSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code netsvc sim --agents=process}: every simulated node's agent is a {@code netsvc agent}
 * process started with {@code ip netns exec} inside the node's network namespace, as a DaemonSet
 * pod with hostNetwork runs on a host. It binds its node's address, joins the members over the
 * lab's fabric and programs the node's namespace through the system backend, with no API access. An
 * agent that exits is started again after a back-off, as the kubelet restarts a container.
 */
final class AgentProcesses implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentProcesses.class);
  static final String MAIN = "io.netsvc.launcher.Main";

  private record Agent(SimNodeSpec node, String netns, String address, Path log) {}

  private final java.util.function.Function<String, List<String>> execIn;
  private final List<String> javaCommand;
  private final List<String> sharedArgs;
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, Process> running = new LinkedHashMap<>();
  private final Map<String, Integer> restarts = new LinkedHashMap<>();
  private final ScheduledExecutorService restarter =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sim-agent-restarts");
            t.setDaemon(true);
            return t;
          });
  private boolean closed;

  private AgentProcesses(
      java.util.function.Function<String, List<String>> execIn,
      List<String> javaCommand,
      List<String> sharedArgs) {
    this.execIn = execIn;
    this.javaCommand = javaCommand;
    this.sharedArgs = sharedArgs;
  }

  /**
   * Fails at once (exit 2) when this JVM cannot start {@code netsvc agent}: the launcher must be on
   * its classpath, as it is when started by {@code ./netsvc}.
   */
  static void requireLauncher() {
    try {
      Class.forName(MAIN, false, AgentProcesses.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new StartupException(
          "--agents=process: the netsvc launcher (" + MAIN + ") is not on this JVM's classpath",
          e,
          2);
    }
  }

  /**
   * Starts one agent per node in {@code lab}, each seeded with {@code seed} ("host:port" on the
   * fabric); their output goes to {@code <logDir>/<node>.log}.
   */
  static AgentProcesses start(Settings s, SimLab lab, String seed, Path logDir) {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // one small JVM per node on a machine that runs the whole cluster: C1 only, serial collector
    java.addAll(List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    java.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    java.addAll(List.of("-cp", absoluteClasspath(), MAIN, "agent"));
    List<String> shared = new ArrayList<>(List.of("--seed", seed, "--log-level", s.logLevel()));
    s.cluster().tlsDir().ifPresent(d -> shared.addAll(List.of("--tls-dir", d.toString())));
    AgentProcesses out = new AgentProcesses(lab::execIn, List.copyOf(java), List.copyOf(shared));
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logDir, e);
    }
    for (SimNodeSpec n : s.sim().scenario().nodes()) {
      out.agents.put(
          n.name(),
          new Agent(
              n,
              lab.nodeNamespace(n.name()),
              lab.nodeAddress(n.name()),
              logDir.resolve(n.name() + ".log")));
    }
    out.agents.keySet().forEach(out::launch);
    return out;
  }

  /** What a node's agent is started with, after {@code ip netns exec <namespace>}. */
  List<String> command(String node) {
    Agent a = agents.get(node);
    List<String> cmd = new ArrayList<>(execIn.apply(a.netns()));
    cmd.addAll(javaCommand);
    cmd.addAll(List.of("--node-name", a.node().name()));
    cmd.addAll(List.of("--node-ip", String.join(",", a.node().internalIPs())));
    if (!a.node().externalIPs().isEmpty()) {
      cmd.addAll(List.of("--node-external-ip", String.join(",", a.node().externalIPs())));
    }
    // the agent's own namespace: the default ports are free there
    cmd.addAll(List.of("--bind-address", a.address()));
    cmd.addAll(sharedArgs);
    return cmd;
  }

  private synchronized void launch(String node) {
    if (closed) return;
    Agent a = agents.get(node);
    try {
      Process p =
          new ProcessBuilder(command(node))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(a.log().toFile()))
              .start();
      running.put(node, p);
      long started = System.nanoTime();
      p.onExit().thenAccept(done -> exited(node, done, started));
    } catch (IOException e) {
      LOG.warn("sim: cannot start the agent of {}: {}", node, e.getMessage());
      scheduleRestart(node, 0);
    }
  }

  private synchronized void exited(String node, Process p, long started) {
    if (closed || running.get(node) != p) return;
    boolean quick = System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10);
    int n = 0;
    if (quick) n = restarts.merge(node, 1, Integer::sum);
    else restarts.put(node, 0);
    LOG.warn(
        "sim: the agent of {} exited with status {}; starting it again (see {})",
        node,
        p.exitValue(),
        agents.get(node).log());
    scheduleRestart(node, n);
  }

  // 1 s, doubling while it keeps dying within 10 s of its start, at most 16 s
  private void scheduleRestart(String node, int quickFailures) {
    long delay = Math.min(16, 1L << Math.min(quickFailures, 4));
    restarter.schedule(() -> launch(node), delay, TimeUnit.SECONDS);
  }

  /** The process id of the node's agent now, for a {@code kill -9} from outside. */
  synchronized long pid(String node) {
    Process p = running.get(node);
    if (p == null) throw new IllegalArgumentException("no agent process for node " + node);
    return p.pid();
  }

  /** The node's fabric address, which its agent binds. */
  String address(String node) {
    return agents.get(node).address();
  }

  Path log(String node) {
    return agents.get(node).log();
  }

  List<String> nodes() {
    return List.copyOf(agents.keySet());
  }

  /** SIGTERM to every agent (a graceful leave), SIGKILL to those still running after 10 s. */
  @Override
  public void close() {
    List<Process> stopping;
    synchronized (this) {
      if (closed) return;
      closed = true;
      stopping = new ArrayList<>(running.values());
    }
    restarter.shutdownNow();
    stopping.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Process p : stopping) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS))
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  /** This JVM's classpath with absolute entries: the agents start in another directory's view. */
  private static String absoluteClasspath() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) out.add(Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, out);
  }
}
