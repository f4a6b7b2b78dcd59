package io.netsvc.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether any member was marked unreachable, downed or removed while a benchmark ran: polls every
 * server's {@code GET /cluster/members} every 500 ms and, at the end, reads every process's log for
 * Pekko's own lines (unreachable marks, SBR decisions, removals, heartbeats sent late or arriving
 * late). A healthy member must never be downed under load: {@link Report#failed()}.
 */
final class MemberWatch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final Pattern SENT_LATE =
      Pattern.compile(
          "Scheduled sending of heartbeat was delayed\\. Previous heartbeat was sent \\[(\\d+)\\] ms ago");
  private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+(?:\\.\\d+)?)ms$");
  private static final Pattern ARRIVED_LATE =
      Pattern.compile("heartbeat interval is growing too large for address \\S+: (\\d+) millis");

  private final List<ProcessMembers.Server> servers;
  private final Path simLog;
  private final List<String> events = new CopyOnWriteArrayList<>();
  // per observing server: members it has seen Up (node + uid), those it sees unreachable now
  private final Map<String, Set<String>> seenUp = new HashMap<>();
  private final Map<String, Set<String>> unreachableNow = new HashMap<>();
  private int unreachableEvents;
  private int downOrRemoved;
  private double maxLoad;
  private volatile Thread poller;

  MemberWatch(List<ProcessMembers.Server> servers, Path simLog) {
    this.servers = servers;
    this.simLog = simLog;
  }

  /** What happened to membership during a run, from the polls and the logs. */
  record Report(
      int unreachableSeen,
      int downedOrRemovedSeen,
      int unreachableMarks,
      int sbrDecisions,
      int leaderRemovals,
      int selfDowned,
      int processesEnded,
      long maxHeartbeatSentLateMs,
      long maxHeartbeatArrivedLateMs,
      double maxGcPauseMs,
      double maxLoadAverage,
      List<String> details) {
    boolean failed() {
      return downedOrRemovedSeen + sbrDecisions + leaderRemovals + selfDowned + processesEnded > 0;
    }

    String line() {
      return String.format(
          "members: %s — downed/removed seen by polls %d, SBR decisions %d, leader removals %d,"
              + " members told they were downed %d, processes ended %d; unreachable seen by polls"
              + " %d, unreachable marks in logs %d; max heartbeat sent late %s, max heartbeat"
              + " interval seen %s; longest GC pause %.0f ms; 1-min load average up to %.1f",
          failed() ? "FAILED: a member was downed under load" : "none downed",
          downedOrRemovedSeen,
          sbrDecisions,
          leaderRemovals,
          selfDowned,
          processesEnded,
          unreachableSeen,
          unreachableMarks,
          maxHeartbeatSentLateMs < 0 ? "none logged" : maxHeartbeatSentLateMs + " ms",
          maxHeartbeatArrivedLateMs < 0 ? "none logged" : maxHeartbeatArrivedLateMs + " ms",
          maxGcPauseMs,
          maxLoadAverage);
    }
  }

  /** Waits until every server sees {@code k} controllers Up and nothing unreachable. */
  void awaitControllersUp(int k, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (ProcessMembers.Server s : servers) {
        JsonNode m = members(s);
        all &= m != null && m.path("unreachable").isEmpty() && controllersUp(m) == k;
      }
      if (all) return;
      ProcessMembers.sleep(250);
    }
    throw new IllegalStateException(k + " controllers not Up within " + within);
  }

  /**
   * Starts polling; call once the cluster is formed. On a downing, a removal or a server process
   * that ended it waits 5 s (for the logs' SBR and removal lines), prints the report and exits the
   * JVM with status 1 (the shutdown hook stops the processes).
   */
  void start() {
    Thread t = new Thread(this::pollLoop, "member-watch");
    t.setDaemon(true);
    poller = t;
    t.start();
  }

  void stop() {
    Thread t = poller;
    poller = null;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops polling and reads the logs. */
  Report report() throws IOException {
    stop();
    int marks = 0, sbr = 0, removals = 0, downed = 0, ended = 0;
    long sentLate = -1, arrivedLate = -1;
    double gcPause = 0;
    List<String> details = new ArrayList<>(events);
    List<Path> logs = new ArrayList<>();
    logs.add(simLog);
    for (ProcessMembers.Server s : servers) {
      logs.add(s.log());
      if (!s.process().isAlive()) {
        ended++;
        details.add(s.name() + " ended with status " + s.process().exitValue());
      }
    }
    for (Path log : logs) {
      for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        boolean keep = true;
        if (l.contains("Marking node as UNREACHABLE")) marks++;
        else if (l.contains("SBR took decision")) sbr++;
        else if (l.contains("Leader is removing")) removals++;
        else if (l.contains("this member has been downed")) downed++;
        else keep = l.contains("SBR ") || l.contains("Marking node as REACHABLE");
        Matcher m = SENT_LATE.matcher(l);
        if (m.find()) {
          sentLate = Math.max(sentLate, Long.parseLong(m.group(1)));
          keep = true;
        }
        m = ARRIVED_LATE.matcher(l);
        if (m.find()) {
          arrivedLate = Math.max(arrivedLate, Long.parseLong(m.group(1)));
          keep = true;
        }
        if (keep) details.add(log.getFileName() + ": " + l.strip());
      }
      Path gc = gcLog(log);
      if (!Files.exists(gc)) continue;
      for (String l : Files.readAllLines(gc, StandardCharsets.UTF_8)) {
        Matcher m = GC_PAUSE.matcher(l.strip());
        if (m.find()) {
          double ms = Double.parseDouble(m.group(1));
          if (ms >= 500) details.add(gc.getFileName() + ": " + l.strip());
          gcPause = Math.max(gcPause, ms);
        }
      }
    }
    synchronized (this) {
      return new Report(
          unreachableEvents,
          downOrRemoved,
          marks,
          sbr,
          removals,
          downed,
          ended,
          sentLate,
          arrivedLate,
          gcPause,
          maxLoad,
          details);
    }
  }

  /** The JVM's GC log next to a process's log: NAME.log → NAME.gc.log. */
  static Path gcLog(Path log) {
    return log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + ".gc.log");
  }

  /** Prints the report's line and, if it failed, the lines that show it; true if it failed. */
  static boolean print(Report r) {
    System.out.println(r.line());
    if (!r.failed()) return false;
    r.details().forEach(d -> System.out.println("  " + d));
    System.out.println("FAILED: a member was downed or removed during the benchmark");
    return true;
  }

  private void pollLoop() {
    while (poller == Thread.currentThread()) {
      loadAverage();
      boolean failed = false;
      for (ProcessMembers.Server s : servers) {
        JsonNode m = members(s);
        if (m != null) observe(s.name(), m);
        failed |= !s.process().isAlive();
      }
      synchronized (this) {
        failed |= downOrRemoved > 0;
      }
      try {
        if (failed) {
          Thread.sleep(5000);
          print(report());
          System.out.flush();
          System.exit(1);
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        System.out.println("FAILED: a member was downed; its logs cannot be read: " + e);
        System.exit(1);
      }
    }
  }

  private synchronized void observe(String observer, JsonNode m) {
    // the logs' time of day, to line events up with their lines
    String now = LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
    Set<String> up = seenUp.computeIfAbsent(observer, k -> new HashSet<>());
    Set<String> present = new HashSet<>();
    for (JsonNode member : m.path("members")) {
      String id = member.path("node").asText() + "#" + member.path("nodeUid").asText();
      present.add(id);
      String status = member.path("status").asText();
      if ("Up".equals(status) || "WeaklyUp".equals(status)) {
        up.add(id);
      } else if (up.remove(id)) {
        downOrRemoved++;
        events.add(now + " " + observer + " sees " + id + " " + status);
      }
    }
    for (String id : new ArrayList<>(up)) {
      if (!present.contains(id)) {
        up.remove(id);
        downOrRemoved++;
        events.add(now + " " + observer + " sees " + id + " removed");
      }
    }
    Set<String> unreachable = new HashSet<>();
    for (JsonNode u : m.path("unreachable")) unreachable.add(u.path("node").asText());
    Set<String> before = unreachableNow.getOrDefault(observer, Set.of());
    for (String node : unreachable) {
      if (!before.contains(node)) {
        unreachableEvents++;
        events.add(now + " " + observer + " sees " + node + " unreachable");
      }
    }
    unreachableNow.put(observer, unreachable);
  }

  /** The 1-min load average (Linux): how starved of CPU the 2 cores were. */
  private synchronized void loadAverage() {
    try {
      String first = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      maxLoad = Math.max(maxLoad, Double.parseDouble(first));
    } catch (IOException | RuntimeException e) {
      // not Linux: no load average in the report
    }
  }

  private static int controllersUp(JsonNode m) {
    int up = 0;
    for (JsonNode member : m.path("members")) {
      boolean controller = false;
      for (JsonNode r : member.path("roles")) controller |= "controller".equals(r.asText());
      if (controller && "Up".equals(member.path("status").asText())) up++;
    }
    return up;
  }

  /** GET /cluster/members of a server, null if it does not answer with 200 within 2 s. */
  private static JsonNode members(ProcessMembers.Server s) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + s.managementPort() + "/cluster/members"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
