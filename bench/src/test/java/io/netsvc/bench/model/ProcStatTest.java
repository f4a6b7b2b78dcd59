package io.netsvc.bench.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading CPU and peak memory out of Linux's /proc files, as the kernel writes them. */
class ProcStatTest {
  // a JVM's line: utime 1234 and stime 56 ticks are fields 14 and 15
  private static final String JAVA =
      "4242 (java) S 1 4242 4242 0 -1 4194560 90 0 0 0 1234 56 0 0 20 0 31 0 1000 4000000 9000"
          + " 18446744073709551615 1 1 0 0 0 0 0 4096 16899 0 0 0 17 1 0 0 0 0 0";

  @Test
  void cpuIsUserPlusSystemTicks() {
    assertThat(ProcStat.cpuTicks(JAVA)).hasValue(1290);
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String odd = JAVA.replace("(java)", "(pekko (x) 1 2)");
    assertThat(ProcStat.cpuTicks(odd)).hasValue(1290);
  }

  @Test
  void aLineThatIsNotAStatLineGivesNothing() {
    assertThat(ProcStat.cpuTicks("")).isEmpty();
    assertThat(ProcStat.cpuTicks(null)).isEmpty();
    assertThat(ProcStat.cpuTicks("4242 (java) S 1 2")).isEmpty();
    assertThat(ProcStat.cpuTicks(JAVA.replace(" 1234 ", " x "))).isEmpty();
  }

  @Test
  void ticksAreHundredthsOfASecondAtUserHz100() {
    assertThat(ProcStat.ticksToNanos(1290, 100)).isEqualTo(12_900_000_000L);
  }

  @Test
  void peakResidentSetIsVmHwmInKiB() {
    String status =
        "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  812344 kB\nVmRSS:\t  700000 kB\nThreads:\t31\n";
    assertThat(ProcStat.statusKiB(status, "VmHWM")).hasValue(812344);
    assertThat(ProcStat.statusKiB(status, "VmRSS")).hasValue(700000);
    // a kernel thread has no memory lines
    assertThat(ProcStat.statusKiB("Name:\tkthreadd\nThreads:\t1\n", "VmHWM")).isEmpty();
  }
}
