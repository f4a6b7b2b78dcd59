package io.netsvc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes per entity against the 2 KiB goal. */
class MemoryTableTest {
  @Test
  void perKindBytesPerEntityAndVerdict() {
    String table =
        MemoryTable.table(
            List.of(
                new MemoryTable.Kind("ServiceLbService", "ServiceActor", 1000, 1_500_000, true),
                new MemoryTable.Kind("Node", "NodeActor", 100, 204_800, true),
                new MemoryTable.Kind("ServiceLbPool", "PoolActor", 1, 9_000, false)));

    assertThat(table)
        .contains("| ServiceLbService | ServiceActor | 1000 | 1464.8 | 1500 | ok |")
        .contains("| Node | NodeActor | 100 | 200.0 | 2048 | ok |")
        .contains("| ServiceLbPool | PoolActor | 1 | 8.8 | 9000 | - |")
        .contains("| all | | 1101 | 1673.6 | 1557 | |");
  }

  @Test
  void overTheGoalSaysSoAndNoEntitiesIsNoVerdict() {
    assertThat(
            new MemoryTable.Kind("NetworkPolicy", "NetworkPolicyActor", 10, 20_490, true).verdict())
        .isEqualTo("OVER");
    MemoryTable.Kind none = new MemoryTable.Kind("Node", "NodeActor", 0, 100, true);
    assertThat(none.verdict()).isEqualTo("-");
    assertThat(MemoryTable.table(List.of(none))).contains("| Node | NodeActor | 0 | 0.1 | - | - |");
  }
}
