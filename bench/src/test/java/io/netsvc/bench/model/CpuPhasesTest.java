package io.netsvc.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-phase CPU from cumulative snapshots, and the per-Service / per-policy figures from it. */
class CpuPhasesTest {
  private static final long S = 1_000_000_000L;

  private static CpuPhases.Snapshot at(long seconds, Object... nameCpuPid) {
    Map<String, CpuPhases.Sample> m = new LinkedHashMap<>();
    for (int i = 0; i < nameCpuPid.length; i += 3) {
      m.put(
          (String) nameCpuPid[i],
          new CpuPhases.Sample(
              ((Number) nameCpuPid[i + 2]).longValue(),
              (long) (((Number) nameCpuPid[i + 1]).doubleValue() * S),
              1024L * (i + 1)));
    }
    return new CpuPhases.Snapshot(seconds * S, m);
  }

  @Test
  void aPhaseIsWhatEachProcessSpentBetweenItsStartAndItsEnd() {
    CpuPhases.Phase p =
        CpuPhases.between(
            "burst",
            at(10, "sim", 5.0, 1, "server-1", 2.0, 2),
            at(14, "sim", 7.5, 1, "server-1", 6.0, 2));
    assertThat(p.seconds()).isEqualTo(4.0);
    assertThat(p.cpuSeconds()).containsEntry("sim", 2.5).containsEntry("server-1", 4.0);
  }

  @Test
  void aProcessStartedDuringThePhaseCountsAllItsCpuThere() {
    // the floor's sim (pid 1) ended; the netsvc run's sim (pid 9) started in this phase
    CpuPhases.Phase p =
        CpuPhases.between(
            "starting", at(0, "sim", 30.0, 1), at(20, "sim", 12.0, 9, "server-1", 8.0, 3));
    assertThat(p.cpuSeconds()).containsEntry("sim", 12.0).containsEntry("server-1", 8.0);
  }

  @Test
  void aProcessThatEndedDuringThePhaseIsLeftOut() {
    CpuPhases.Phase p =
        CpuPhases.between("x", at(0, "sim", 3.0, 1, "bench", 1.0, 7), at(1, "bench", 1.5, 7));
    assertThat(p.cpuSeconds()).containsOnlyKeys("bench");
  }

  @Test
  void cpuPerServiceSumsTheChosenPhasesAndDividesByTheServices() {
    CpuPhases c = new CpuPhases();
    c.add("netsvc: starting", at(0, "sim", 0.0, 1), at(10, "sim", 20.0, 1, "server-1", 9.0, 2));
    c.add(
        "netsvc: creating Services",
        at(10, "sim", 20.0, 1, "server-1", 9.0, 2, "server-2", 9.0, 3),
        at(12, "sim", 21.0, 1, "server-1", 10.0, 2, "server-2", 9.5, 3));
    c.add(
        "netsvc: Services with every node's ingress",
        at(12, "sim", 21.0, 1, "server-1", 10.0, 2, "server-2", 9.5, 3),
        at(20, "sim", 23.0, 1, "server-1", 12.0, 2, "server-2", 10.5, 3));
    Map<String, Double> ms = c.msPer(n -> n.contains("Services"), 100);
    assertThat(ms.get("sim")).isCloseTo(30.0, within(1e-9));
    assertThat(ms.get("server-1")).isCloseTo(30.0, within(1e-9));
    assertThat(ms.get("server-2")).isCloseTo(15.0, within(1e-9));
    assertThat(CpuPhases.perUnitLine("CPU per Service", ms, "server-"))
        .isEqualTo(
            "CPU per Service: sim 30.00 ms, server-1 30.00 ms, server-2 15.00 ms,"
                + " all 2 server-* 45.00 ms");
  }

  @Test
  void netOfRestTakesOffWhatEachProcessSpendsWithNothingChanging() {
    CpuPhases c = new CpuPhases();
    // at rest server-1 spends 0.1 s per s; the 10 s burst then holds 1 s of that
    c.add("rest", at(0, "server-1", 0.0, 2), at(4, "server-1", 0.4, 2));
    c.add("burst", at(4, "server-1", 0.4, 2), at(14, "server-1", 3.4, 2));
    assertThat(c.msPer(n -> n.equals("burst"), 100).get("server-1")).isCloseTo(30.0, within(1e-9));
    assertThat(c.msPerNetOfRest(n -> n.equals("burst"), 100, "rest").get("server-1"))
        .isCloseTo(20.0, within(1e-9));
    assertThat(c.msPerSecond("rest").get("server-1")).isCloseTo(100.0, within(1e-9));
    assertThat(c.msPerNetOfRest(n -> n.equals("burst"), 100, "no such")).isEmpty();
  }

  @Test
  void theTableHasARowPerPhaseAndThePeakMemoryOfEachProcess() {
    CpuPhases c = new CpuPhases();
    c.add(
        "probes",
        at(0, "sim", 1.0, 1, "server-1", 1.0, 2),
        at(5, "sim", 2.25, 1, "server-1", 3.0, 2));
    c.heapUsed("server-1", 300L * 1024 * 1024);
    assertThat(c.table("CPU").split("\n"))
        .containsExactly(
            "CPU",
            "| phase | wall s | sim CPU s | server-1 CPU s |",
            "|---|---|---|---|",
            "| probes | 5.0 | 1.25 | 2.00 |",
            "| peak RSS MiB (VmHWM) | | 1 | 4 |",
            "| heap used MiB at the end | | - | 300 |");
  }
}
