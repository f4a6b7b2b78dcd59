package io.netsvc.nodeagent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.model.Ruleset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftCountsTest {
  static final Ruleset OURS =
      new Ruleset(
          Map.of(
              IpFamily.IPV4,
              new Ruleset.Table(
                  Map.of(
                      "INPUT", List.of("-A INPUT -j KUBE-ROUTER-INPUT"),
                      "KUBE-POD-FW-A", List.of("-A KUBE-POD-FW-A -j ACCEPT", "-A KUBE-POD-FW-A")),
                  Map.of(
                      "KUBE-SRC-A",
                      new Ruleset.IpSet(
                          "hash:ip", "timeout 0", List.of("10.0.0.1", "10.0.0.2"))))));

  static final String SAVE =
      """
      *filter
      :INPUT ACCEPT [0:0]
      :KUBE-POD-FW-A - [0:0]
      :KUBE-EMPTY - [0:0]
      -A INPUT -j KUBE-PROXY
      -A INPUT -j KUBE-ROUTER-INPUT
      -A KUBE-POD-FW-A -j ACCEPT
      -A KUBE-POD-FW-A
      COMMIT
      """;

  @Test
  void theSaveIsCountedPerChainWithDeclaredEmptyChains() {
    assertThat(DriftCounts.ruleCounts(SAVE))
        .isEqualTo(Map.of("INPUT", 2, "KUBE-POD-FW-A", 2, "KUBE-EMPTY", 0));
  }

  @Test
  void aKernelHoldingOurCountsHasNotDrifted() {
    // others' rules in a built-in chain are theirs
    assertThat(drifted(SAVE, Map.of("KUBE-SRC-A", 2))).isFalse();
  }

  @Test
  void aMissingOrShortenedChainOrASetOfAnotherSizeIsDrift() {
    assertThat(drifted(SAVE.replace("-A KUBE-POD-FW-A -j ACCEPT\n", ""), Map.of("KUBE-SRC-A", 2)))
        .isTrue();
    assertThat(
            drifted(
                SAVE.replace(":KUBE-POD-FW-A - [0:0]\n", "")
                    .replace("-A KUBE-POD-FW-A -j ACCEPT\n-A KUBE-POD-FW-A\n", ""),
                Map.of("KUBE-SRC-A", 2)))
        .isTrue();
    assertThat(
            drifted(
                SAVE.replace("-A INPUT -j KUBE-ROUTER-INPUT\n", "")
                    .replace("-A INPUT -j KUBE-PROXY\n", ""),
                Map.of("KUBE-SRC-A", 2)))
        .isTrue();
    assertThat(drifted(SAVE, Map.of("KUBE-SRC-A", 1))).isTrue();
    assertThat(drifted(SAVE, Map.of())).isTrue();
    // a chain of ours with a rule too many: someone added one
    assertThat(
            drifted(
                SAVE.replace("COMMIT", "-A KUBE-POD-FW-A -j DROP\nCOMMIT"),
                Map.of("KUBE-SRC-A", 2)))
        .isTrue();
  }

  private static boolean drifted(String save, Map<String, Integer> sets) {
    return DriftCounts.drifted(OURS, Map.of(IpFamily.IPV4, DriftCounts.ruleCounts(save)), sets);
  }
}
