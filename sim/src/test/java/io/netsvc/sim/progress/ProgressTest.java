package io.netsvc.sim.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the progress reporter prints as phases advance, on a clock the test moves. */
class ProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advanceSeconds(double s) {
    now.addAndGet((long) (s * 1e9));
  }

  @Test
  void eachTickPrintsTheCurrentPhaseAndEachPhaseEndsWithItsLastCount() {
    Progress p = new Progress("bench", out, null, Duration.ZERO, now::get);
    Progress.Phase pods = p.phase("loading pods", 3000);
    pods.add(1200);
    advanceSeconds(12.3);
    p.tick();
    pods.add(1800);
    advanceSeconds(1);
    AtomicLong realised = new AtomicLong(4);
    p.phase("realising", 10, realised::get);
    advanceSeconds(2);
    p.tick();
    realised.set(10);
    p.printTable();
    assertThat(printed().split("\n"))
        .containsExactly(
            "[bench] loading pods 1200/3000 (40%) 12.3 s",
            "[bench] loading pods 3000/3000 (100%) 13.3 s",
            "[bench] realising 4/10 (40%) 2.0 s",
            "[bench] realising 10/10 (100%) 2.0 s",
            "",
            "| bench phase | done | s | per s |",
            "|---|---|---|---|",
            "| loading pods | 3000/3000 | 13.3 | 225.6 |",
            "| realising | 10/10 | 2.0 | 5.0 |");
  }

  @Test
  void aListenerIsToldWhereEachPhaseStartsAndEnds() {
    Progress p = new Progress("bench", out, null, Duration.ZERO, now::get);
    java.util.List<String> told = new java.util.ArrayList<>();
    p.listen(
        new Progress.Listener() {
          @Override
          public void started(String phase) {
            told.add("start " + phase);
          }

          @Override
          public void ended(String phase) {
            told.add("end " + phase);
          }
        });
    p.phase("creating Services", 10);
    p.phase("Services with every node's ingress", 10);
    p.endPhase();
    p.phase("quiet", -1);
    p.close();
    assertThat(told)
        .containsExactly(
            "start creating Services",
            "end creating Services",
            "start Services with every node's ingress",
            "end Services with every node's ingress",
            "start quiet",
            "end quiet");
  }

  @Test
  void aQuickStartSaysNothingAndASlowOneReportsOnceItIsSlow() {
    Progress p = new Progress("sim", out, null, Duration.ofSeconds(10), now::get);
    p.phase("registering nodes", 100).add(100);
    advanceSeconds(2);
    p.tick();
    Progress.Phase agents = p.phase("agents registered", 5000);
    assertThat(printed()).isEmpty();
    agents.add(2500);
    advanceSeconds(9);
    p.tick();
    p.close();
    assertThat(printed().split("\n"))
        .containsExactly(
            "[sim] agents registered 2500/5000 (50%) 9.0 s",
            "[sim] agents registered 2500/5000 (50%) 9.0 s");
  }

  @Test
  void anEndedPhaseIsNotReportedAgain() {
    Progress p = new Progress("bench", out, null, Duration.ZERO, now::get);
    p.phase("probes", 2).add(2);
    advanceSeconds(3);
    p.endPhase();
    advanceSeconds(5);
    p.tick();
    assertThat(printed().split("\n")).containsExactly("[bench] probes 2/2 (100%) 3.0 s");
  }

  @Test
  void nothingIsPrintedAfterClose() {
    Progress p = new Progress("bench", out, null, Duration.ZERO, now::get);
    p.phase("x", 1);
    p.close();
    int before = printed().length();
    p.tick();
    assertThat(printed()).hasSize(before);
  }
}
