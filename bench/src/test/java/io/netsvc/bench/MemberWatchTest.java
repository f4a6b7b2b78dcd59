package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a benchmark with members as processes reports from Pekko's log lines (run 1's, shortened).
 */
class MemberWatchTest {
  @TempDir Path dir;

  @Test
  void aDowningFailsTheRunAndTheLateHeartbeatsAndPausesAreReported() throws Exception {
    Path log = dir.resolve("sim.log");
    Files.write(
        log,
        List.of(
            "18:34:50.408 WARN  o.a.p.c.ClusterHeartbeat - Cluster Node [pekko://netsvc@127.0.0.1:33533]"
                + " - Scheduled sending of heartbeat was delayed. Previous heartbeat was sent [2332] ms"
                + " ago, expected interval is [1000] ms.",
            "18:34:50.431 WARN  o.a.p.r.PhiAccrualFailureDetector - heartbeat interval is growing too"
                + " large for address pekko://netsvc@127.0.0.1:44185: 4671 millis",
            "18:34:52.552 WARN  o.a.p.cluster.Cluster - Cluster Node [pekko://netsvc@127.0.0.1:33533] -"
                + " Marking node as UNREACHABLE [Member(pekko://netsvc@127.0.0.1:34903, Up)].",
            "18:35:02.340 WARN  o.a.p.c.s.SplitBrainResolver - SBR took decision DownIndirectlyConnected"
                + " and is downing [pekko://netsvc@127.0.0.1:33533, pekko://netsvc@127.0.0.1:34903]",
            "18:35:05.242 INFO  o.a.p.cluster.Cluster - Cluster Node [pekko://netsvc@127.0.0.1:39623] -"
                + " Leader is removing unreachable node [pekko://netsvc@127.0.0.1:34903]"));
    Files.write(
        MemberWatch.gcLog(log),
        List.of(
            "[2026-12-03T18:34:43.596+0000][160.306s] GC(36) Pause Young (Normal) (G1 Evacuation"
                + " Pause) 127M->66M(604M) 1642.302ms",
            "[2026-12-03T18:34:43.597+0000][160.306s] GC(36) User=0.04s Sys=0.06s Real=1.64s"));

    MemberWatch.Report r = new MemberWatch(List.of(), log).report();

    assertThat(r.failed()).isTrue();
    assertThat(r.sbrDecisions()).isEqualTo(1);
    assertThat(r.leaderRemovals()).isEqualTo(1);
    assertThat(r.unreachableMarks()).isEqualTo(1);
    assertThat(r.maxHeartbeatSentLateMs()).isEqualTo(2332);
    assertThat(r.maxHeartbeatArrivedLateMs()).isEqualTo(4671);
    assertThat(r.maxGcPauseMs()).isEqualTo(1642.302);
    assertThat(r.line()).startsWith("members: FAILED");
    assertThat(r.details()).anyMatch(d -> d.contains("SBR took decision"));
  }

  @Test
  void anUnreachableMarkThatHealsIsCountedButDoesNotFailTheRun() throws Exception {
    Path log = dir.resolve("server-1.log");
    Files.write(
        log,
        List.of(
            "18:34:52.107 WARN  o.a.p.cluster.Cluster - Cluster Node [pekko://netsvc@127.0.0.1:34903] -"
                + " Marking node as UNREACHABLE [Member(pekko://netsvc@127.0.0.1:33533, Up)].",
            "18:34:53.062 INFO  o.a.p.cluster.Cluster - Cluster Node [pekko://netsvc@127.0.0.1:34903] -"
                + " Marking node as REACHABLE [Member(pekko://netsvc@127.0.0.1:33533, Up)]."));

    MemberWatch.Report r = new MemberWatch(List.of(), log).report();

    assertThat(r.failed()).isFalse();
    assertThat(r.unreachableMarks()).isEqualTo(1);
    assertThat(r.maxHeartbeatSentLateMs()).isEqualTo(-1);
    assertThat(r.line()).startsWith("members: none downed");
  }
}
