package io.netsvc.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code netsvc} JVM started from this test's classpath, its stdout and stderr in a file under
 * target/ (kept for diagnosis). {@link #kill9()} is SIGKILL: on Linux {@code destroyForcibly} sends
 * SIGKILL and {@code destroy} SIGTERM, which the exit status (128 + signal) confirms.
 */
final class Proc {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final Path log;

  private Proc(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** {@code java -XmxHEAP -cp <this classpath> io.netsvc.launcher.Main ARGS}. */
  static Proc start(Path log, String heap, List<String> args) {
    return start(log, List.of(), List.of(heap), args);
  }

  /**
   * As {@link #start(Path, String, List)} behind {@code wrapper}, e.g. {@code ip netns exec NS},
   * which must exec the JVM (same pid, so kill -9 and the exit status are the JVM's), with {@code
   * jvmOpts} (the heap first).
   */
  static Proc start(Path log, List<String> wrapper, List<String> jvmOpts, List<String> args) {
    return start(log, wrapper, jvmOpts, Map.of(), args);
  }

  /** As {@link #start(Path, List, List, List)} with {@code env} added to the environment. */
  static Proc start(
      Path log,
      List<String> wrapper,
      List<String> jvmOpts,
      Map<String, String> env,
      List<String> args) {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(JAVA);
    cmd.addAll(jvmOpts);
    // 4–5 JVMs share 2 cores: C1 only and the serial collector keep their CPU and pauses small
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    // the launcher jar (and its lib/) and the module jars both carry logback.xml: no status dump
    cmd.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    // e.g. NETSVC_CHAOS_JVM_OPTS="-Dpekko.cluster.split-brain-resolver.stable-after=5s" to compare
    // settings: Pekko reads system properties over application.conf
    String extra = System.getenv().getOrDefault("NETSVC_CHAOS_JVM_OPTS", "").strip();
    if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.netsvc.launcher.Main");
    cmd.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      return new Proc(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /** The rest of the first log line that starts with {@code prefix}, once it is there. */
  String awaitLine(String prefix, Duration within) {
    return await("a line '" + prefix + "…' in " + log)
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .failFast("process ended; see " + log, () -> !process.isAlive())
        .until(() -> line(prefix), Optional::isPresent)
        .orElseThrow();
  }

  Optional<String> line(String prefix) throws IOException {
    if (!Files.exists(log)) return Optional.empty();
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).strip())
        .findFirst();
  }

  /** The last {@code n} lines of the log, each cut at 300 characters; none if it cannot be read. */
  List<String> tail(int n) {
    try {
      if (!Files.exists(log)) return List.of();
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - n), all.size()).stream()
          .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l)
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of("(log unreadable: " + e + ")");
    }
  }

  /** Writes {@code line} to the process's stdin (where {@code netsvc sim} reads its commands). */
  void tell(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell " + log + " '" + line + "'", e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** SIGKILL; returns the exit status (137 on Linux). */
  int kill9() {
    process.destroyForcibly();
    return waitFor(Duration.ofSeconds(10));
  }

  /** SIGTERM: the member leaves the cluster gracefully; returns the exit status. */
  int sigterm(Duration within) {
    process.destroy();
    int code = waitFor(within);
    if (process.isAlive()) return kill9();
    return code;
  }

  /** The exit status once the process has ended, or -1 if it is still running after {@code d}. */
  int waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGSTOP (true) or SIGCONT (false): the JVM freezes as in a long GC pause or a stalled VM. */
  void freeze(boolean stop) {
    try {
      int rc =
          new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", String.valueOf(process.pid()))
              .start()
              .waitFor();
      if (rc != 0)
        throw new IllegalStateException("kill " + (stop ? "-STOP" : "-CONT") + ": " + rc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The JVM's threads ({@code jcmd PID Thread.print}) in a file next to its log, for a failure
   * message: where a process that should have ended is stuck. The file, or why there is none.
   */
  String threadDump() {
    Path out = log.resolveSibling(log.getFileName() + ".threads");
    try {
      int rc =
          new ProcessBuilder("jcmd", String.valueOf(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start()
              .waitFor();
      return rc == 0 ? out.toString() : "jcmd exited " + rc + " (" + out + ")";
    } catch (IOException e) {
      return "no thread dump: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no thread dump: interrupted";
    }
  }

  /** For close(): never leaves a JVM behind. */
  void killQuietly() {
    if (process.isAlive()) {
      freeze(false); // a stopped process ends on SIGKILL too; this only keeps its log complete
      kill9();
    }
  }
}
