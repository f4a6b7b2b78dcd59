package io.netsvc.nodeagent.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up check of a node that enforces policies: tools, user, capabilities. */
class HostCheckTest {
  @ParameterizedTest(name = "{0} / uid {1} / CapEff {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # a root shell on a host: every capability
          iptables ipset ip | 0    | 000001ffffffffff | -
          # a container's root with capabilities add [NET_ADMIN, NET_RAW]
          iptables ipset ip | 0    | 00000000a80435fb | -
          # no /proc/self/status (not Linux): the user id decides
          iptables ipset ip | 0    | -                | -
          ipset ip          | 0    | 000001ffffffffff | iptables not found in PATH; install iptables
          ip                | 0    | 000001ffffffffff | iptables, ipset not found in PATH; install iptables and ipset
          iptables ipset    | 0    | 000001ffffffffff | ip not found in PATH; install iproute2
          iptables ipset ip | 1000 | 0000000000000000 | network policy needs root (running as uid 1000)
          iptables ipset ip | 1000 | 000001ffffffffff | network policy needs root (running as uid 1000)
          # Docker's default set for root: CAP_NET_RAW but no CAP_NET_ADMIN
          iptables ipset ip | 0    | 00000000a80425fb | network policy needs CAP_NET_ADMIN (effective capabilities 00000000a80425fb; a container needs them added)
          iptables ipset ip | 0    | 0000000000000000 | network policy needs CAP_NET_ADMIN and CAP_NET_RAW (effective capabilities 0000000000000000; a container needs them added)
          iptables ipset ip | 0    | 0000000000001000 | network policy needs CAP_NET_RAW (effective capabilities 0000000000001000; a container needs them added)
          """)
  void decidesFromTheProbedFacts(String found, int uid, String capEff, String expected) {
    HostCheck.Facts facts =
        new HostCheck.Facts(
            Set.of(found.split(" ")),
            uid,
            capEff == null
                ? OptionalLong.empty()
                : OptionalLong.of(Long.parseUnsignedLong(capEff, 16)));
    assertThat(HostCheck.problem(HostCheck.LAB_TOOLS, facts).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Name:\\tjava\\nUid:\\t0\\nCapInh:\\t0000000000000000\\nCapEff:\\t000001ffffffffff\\nCapBnd:\\t0 | true  | true
          CapPrm:\\t00000000a80425fb\\nCapEff:\\t00000000a80425fb\\n                                | false | true
          CapEff:\\t00000000a80435fb\\n                                                                 | true  | true
          CapEff:\\t0000000000000000                                                                     | false | false
          """)
  void readsTheEffectiveCapabilitiesFromProcStatus(
      String status, boolean netAdmin, boolean netRaw) {
    String text = status.replace("\\t", "\t").replace("\\n", "\n");
    long caps = HostCheck.capEff(text).orElseThrow();
    assertThat((caps & (1L << HostCheck.CAP_NET_ADMIN)) != 0).isEqualTo(netAdmin);
    assertThat((caps & (1L << HostCheck.CAP_NET_RAW)) != 0).isEqualTo(netRaw);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Name:\tjava\nUid:\t0\n", "CapEff:\tnot-hex\n", ""})
  void aStatusWithoutCapabilitiesLeavesTheUserIdToDecide(String status) {
    assertThat(HostCheck.capEff(status)).isEmpty();
    HostCheck.Facts root =
        new HostCheck.Facts(Set.of("iptables", "ipset"), 0, HostCheck.capEff(status));
    assertThat(HostCheck.problem(HostCheck.AGENT_TOOLS, root)).isEmpty();
  }

  @Test
  void theAgentDoesNotNeedIp() {
    HostCheck.Facts facts =
        new HostCheck.Facts(Set.of("iptables", "ipset"), 0, OptionalLong.of(-1L >>> 23));
    assertThat(HostCheck.problem(HostCheck.AGENT_TOOLS, facts)).isEmpty();
    assertThat(HostCheck.problem(HostCheck.LAB_TOOLS, facts))
        .contains("ip not found in PATH; install iproute2");
  }
}
