package io.netsvc.sim.progress.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.sim.progress.model.ProgressText.Phase;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The progress lines and the phase table as a user reads them. */
class ProgressTextTest {
  @Test
  void lineShowsCountOfTotalPercentAndSeconds() {
    assertThat(
            ProgressText.line("netpol-sim", new Phase("loading pods", 1200, 3000, 12_340_000_000L)))
        .isEqualTo("[netpol-sim] loading pods 1200/3000 (40%) 12.3 s");
  }

  @Test
  void unknownTotalShowsTheCountAlone() {
    assertThat(ProgressText.line("sim", new Phase("agents registered", 7, -1, 500_000_000L)))
        .isEqualTo("[sim] agents registered 7 0.5 s");
  }

  @Test
  void aStepThatCountsNothingShowsItsTimeAlone() {
    assertThat(ProgressText.line("sim", new Phase("starting the API", 0, -1, 10_000_000_000L)))
        .isEqualTo("[sim] starting the API 10.0 s");
    assertThat(ProgressText.table("sim", List.of(new Phase("starting the API", 0, -1, 0))))
        .endsWith("| starting the API | - | 0.0 | - |\n");
  }

  @Test
  void percentStaysBelowHundredUntilTheLastItemAndWithinBounds() {
    assertThat(ProgressText.percent(2999, 3000)).isEqualTo(99);
    assertThat(ProgressText.percent(3000, 3000)).isEqualTo(100);
    assertThat(ProgressText.percent(3500, 3000)).isEqualTo(100);
    assertThat(ProgressText.percent(0, 0)).isEqualTo(100);
  }

  @Test
  void secondsUseADotWhateverTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(ProgressText.seconds(1_240_000_000L)).isEqualTo("1.2");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void tableHasARowPerPhaseWithItsRate() {
    String t =
        ProgressText.table(
            "netpol-sim",
            List.of(
                new Phase("loading pods", 3000, 3000, 10_000_000_000L),
                new Phase("waiting", 0, -1, 2_000_000_000L)));
    assertThat(t.split("\n"))
        .containsExactly(
            "| netpol-sim phase | done | s | per s |",
            "|---|---|---|---|",
            "| loading pods | 3000/3000 | 10.0 | 300.0 |",
            "| waiting | - | 2.0 | - |");
  }
}
