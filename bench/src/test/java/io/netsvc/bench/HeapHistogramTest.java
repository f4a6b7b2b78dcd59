package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The class histogram as the JVM prints it, and what went away between two of them. */
class HeapHistogramTest {
  private static final String LOADED =
      """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          5000         800000  [B (java.base@17.0.9)
         2:          4000          96000  java.lang.String (java.base@17.0.9)
         3:          1000          48000  io.netsvc.actors.servicelb.ServiceActor
         4:           100           4000  io.netsvc.actors.servicelb.ServiceActor
         5:            10            640  [Ljava.lang.Object; (java.base@17.0.9)
      Total         10110         948640
      """;
  private static final String STOPPED =
      """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          4000         700000  [B (java.base@17.0.9)
         2:          3000          72000  java.lang.String (java.base@17.0.9)
         3:            12            768  [Ljava.lang.Object; (java.base@17.0.9)
      Total          7012         772768
      """;

  @Test
  void parsesRowsAndTotalMergingClassesOfOneName() {
    HeapHistogram h = HeapHistogram.parse(LOADED);

    assertThat(h.bytes()).isEqualTo(948640);
    assertThat(h.rows()).hasSize(4);
    assertThat(h.rows().get("io.netsvc.actors.servicelb.ServiceActor"))
        .isEqualTo(new HeapHistogram.Row("io.netsvc.actors.servicelb.ServiceActor", 1100, 52000));
    assertThat(h.rows().get("[Ljava.lang.Object;").bytes()).isEqualTo(640);
    assertThat(h.bytes(n -> n.startsWith("io.netsvc."))).isEqualTo(52000);
  }

  @Test
  void withoutTotalLineTheRowsAreSummed() {
    HeapHistogram h = HeapHistogram.parse("   1:  2  64  java.lang.Object\n   2:  1  16  [I\n");

    assertThat(h.bytes()).isEqualTo(80);
  }

  @Test
  void minusIsWhatWentAwayPerClassIncludingClassesThatGrew() {
    HeapHistogram gone = HeapHistogram.parse(LOADED).minus(HeapHistogram.parse(STOPPED));

    assertThat(gone.bytes()).isEqualTo(948640 - 772768);
    assertThat(gone.top(3, n -> true))
        .containsExactly(
            new HeapHistogram.Row("[B", 1000, 100000),
            new HeapHistogram.Row("io.netsvc.actors.servicelb.ServiceActor", 1100, 52000),
            new HeapHistogram.Row("java.lang.String", 1000, 24000));
    assertThat(gone.rows().get("[Ljava.lang.Object;"))
        .isEqualTo(new HeapHistogram.Row("[Ljava.lang.Object;", -2, -128));
    assertThat(gone.grown(5))
        .containsExactly(new HeapHistogram.Row("[Ljava.lang.Object;", -2, -128));
  }

  @Test
  void keepHoldsTheGivenRowsAndTheWholeTotal() {
    HeapHistogram loaded = HeapHistogram.parse(LOADED);

    HeapHistogram kept = loaded.keep(loaded.top(1, n -> n.startsWith("io.netsvc.")));

    assertThat(kept.bytes()).isEqualTo(948640);
    assertThat(kept.rows().keySet()).containsExactly("io.netsvc.actors.servicelb.ServiceActor");
  }

  @Test
  void tableShowsKibAndShare() {
    String table = HeapHistogram.table(List.of(new HeapHistogram.Row("[B", 10, 2048)), 4096);

    assertThat(table).contains("| [B | 10 | 2.0 | 50.0 % |");
  }
}
