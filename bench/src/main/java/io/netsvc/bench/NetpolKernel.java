package io.netsvc.bench;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import io.netsvc.nodeagent.netpol.lab.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy benchmark's kernels: empty network namespaces named {@code nbench_*}, with no
 * link but their own (down) loopback, so nothing in them can send a packet. Leftovers of a crashed
 * run are deleted on start; everything made is deleted on {@link #close()} or JVM exit.
 */
final class NetpolKernel implements AutoCloseable {
  static final String PREFIX = "nbench";
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

  /** A restore of ~100k rules into nf_tables takes many seconds: far above the agent's 30 s. */
  static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);

  private final String ip;
  private final List<String> created = new ArrayList<>();
  private final Thread hook = new Thread(this::close, "nbench-cleanup");
  private boolean closed;

  NetpolKernel() throws BackendException {
    this.ip = ipTool();
    List<String> removed = NetnsLab.removeLeftovers(PREFIX);
    if (!removed.isEmpty()) System.out.println("removed leftover namespaces: " + removed);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** A fresh namespace {@code nbench_<name>}. */
  synchronized String create(String name) throws BackendException {
    String ns = PREFIX + "_" + name;
    CommandRunner.check(List.of(ip, "netns", "add", ns), null, IP_TIMEOUT);
    created.add(ns);
    return ns;
  }

  synchronized void delete(String ns) throws BackendException {
    if (Files.exists(Path.of("/var/run/netns", ns))) {
      CommandRunner.check(List.of(ip, "netns", "delete", ns), null, IP_TIMEOUT);
    }
    created.remove(ns);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: this call is the hook itself
    }
    for (String ns : List.copyOf(created)) {
      try {
        delete(ns);
      } catch (BackendException e) {
        System.err.println("nbench: cannot delete " + ns + ": " + e.getMessage());
      }
    }
  }

  private static String ipTool() throws BackendException {
    for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
      if (Files.isExecutable(Path.of(p))) return p;
    }
    throw new BackendException("nbench: ip not found; run scripts/install-deps.sh");
  }

  /** The node twice, in {@code nbench_<name>} and {@code nbench_<name>_floor}. */
  Pair pair(String name) throws BackendException {
    String dpNs = create(name);
    String floorNs = create(name + "_floor");
    return new Pair(
        this,
        dpNs,
        floorNs,
        new Recording(NetpolBench.backend(dpNs)),
        NetpolBench.backend(floorNs));
  }

  /**
   * The node twice: netsvc's dataplane applies into one namespace through a {@link Recording}
   * backend; the floor replays exactly the texts it wrote into the other.
   */
  static final class Pair implements AutoCloseable {
    private final NetpolKernel kernel;
    private final String dpNs;
    private final String floorNs;
    private final Recording rec;
    private final RenderingDataplane dp;
    final NetnsBackend floor;

    /** One apply: bytes written, the dataplane's whole apply, of it the tools, the floor. */
    record Applied(int bytes, long applyNanos, long toolsNanos, long floorNanos) {}

    private Pair(
        NetpolKernel kernel, String dpNs, String floorNs, Recording rec, NetnsBackend floor) {
      this.kernel = kernel;
      this.dpNs = dpNs;
      this.floorNs = floorNs;
      this.rec = rec;
      this.floor = floor;
      this.dp = new RenderingDataplane(rec, NetpolBench.V4);
    }

    /** The dataplane applies {@code state}, timed; then the floor replays what it wrote. */
    Applied apply(NetpolDataplane.State state) throws BackendException {
      rec.reset();
      long t0 = System.nanoTime();
      NetpolDataplane.Report r = NetpolBench.check(dp.apply(state));
      long apply = System.nanoTime() - t0;
      long floorNanos = replay(floor, rec.writes);
      return new Applied(r.bytes(), apply, rec.writeNanos + rec.readNanos, floorNanos);
    }

    @Override
    public void close() throws BackendException {
      kernel.delete(dpNs);
      kernel.delete(floorNs);
    }
  }

  /** One write a dataplane handed to its backend. */
  record Write(boolean ipset, IpFamily family, String text) {}

  /**
   * Wraps a backend: times every tool call (writes and reads apart) and keeps the texts written, so
   * the floor can replay exactly them.
   */
  static final class Recording implements RulesBackend {
    private final RulesBackend inner;
    final List<Write> writes = new ArrayList<>();
    long writeNanos;
    long readNanos;

    Recording(RulesBackend inner) {
      this.inner = inner;
    }

    void reset() {
      writes.clear();
      writeNanos = 0;
      readNanos = 0;
    }

    @Override
    public void restore(IpFamily family, String text) throws BackendException {
      long t0 = System.nanoTime();
      inner.restore(family, text);
      writeNanos += System.nanoTime() - t0;
      writes.add(new Write(false, family, text));
    }

    @Override
    public void ipsetRestore(String script) throws BackendException {
      long t0 = System.nanoTime();
      inner.ipsetRestore(script);
      writeNanos += System.nanoTime() - t0;
      writes.add(new Write(true, null, script));
    }

    @Override
    public String saveFilterTable(IpFamily family) throws BackendException {
      long t0 = System.nanoTime();
      String out = inner.saveFilterTable(family);
      readNanos += System.nanoTime() - t0;
      return out;
    }

    @Override
    public String saveSets() throws BackendException {
      long t0 = System.nanoTime();
      String out = inner.saveSets();
      readNanos += System.nanoTime() - t0;
      return out;
    }

    @Override
    public Map<String, Integer> setSizes() throws BackendException {
      long t0 = System.nanoTime();
      Map<String, Integer> out = inner.setSizes();
      readNanos += System.nanoTime() - t0;
      return out;
    }

    @Override
    public String describe() {
      return inner.describe();
    }
  }

  /** Runs {@code writes} through {@code backend} in order; the nanoseconds spent in the tools. */
  static long replay(RulesBackend backend, List<Write> writes) throws BackendException {
    long total = 0;
    for (Write w : writes) {
      long t0 = System.nanoTime();
      if (w.ipset()) backend.ipsetRestore(w.text());
      else backend.restore(w.family(), w.text());
      total += System.nanoTime() - t0;
    }
    return total;
  }

  /** INPUT/FORWARD/OUTPUT as the kernel lists them, as {@code RestorePlan} wants them. */
  static Map<IpFamily, Map<String, List<String>>> liveBuiltins(RulesBackend b, IpFamily f)
      throws BackendException {
    Map<String, List<String>> chains = new HashMap<>();
    for (String c : List.of("INPUT", "FORWARD", "OUTPUT")) chains.put(c, new ArrayList<>());
    for (String line : b.saveFilterTable(f).split("\n")) {
      if (!line.startsWith("-A ")) continue;
      int space = line.indexOf(' ', 3);
      String chain = space < 0 ? line.substring(3) : line.substring(3, space);
      if (chains.containsKey(chain)) chains.get(chain).add(line);
    }
    Map<IpFamily, Map<String, List<String>>> out = new EnumMap<>(IpFamily.class);
    out.put(f, chains);
    return out;
  }
}
