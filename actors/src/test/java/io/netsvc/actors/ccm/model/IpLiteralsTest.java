package io.netsvc.actors.ccm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's net.ParseIP 16-byte form (Go 1.22+, on net/netip), which NodeHosts sorts by. */
class IpLiteralsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "10.0.0.1, 00000000000000000000ffff0a000001",
    "0.0.0.0, 00000000000000000000ffff00000000",
    "255.255.255.255, 00000000000000000000ffffffffffff",
    "::ffff:10.0.0.1, 00000000000000000000ffff0a000001",
    "::, 00000000000000000000000000000000",
    "::1, 00000000000000000000000000000001",
    "1::, 00010000000000000000000000000000",
    "fd00::1, fd000000000000000000000000000001",
    "2001:DB8:0:0:1::, 20010db8000000000001000000000000",
    "1:2:3:4:5:6:7:8, 00010002000300040005000600070008",
    "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304",
    "::1.2.3.4, 00000000000000000000000001020304",
    "64:ff9b::10.0.0.1, 0064ff9b00000000000000000a000001",
  })
  void parsesLikeGo(String ip, String hex) {
    assertThat(HexFormat.of().formatHex(IpLiterals.parse16(ip))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource({
    "''",
    "010.0.0.1", // Go 1.17+: leading zeros rejected
    "::ffff:010.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "1..2.3",
    "-1.0.0.0",
    "fe80::1%eth0", // ParseIP refuses zones
    "1:2:3:4:5:6:7::8", // '::' must stand for at least one zero group
    "12345::",
    ":::",
    "1::2::3",
    ":1::",
    "1:",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:1.2.3.4", // embedded IPv4 must be the last 32 bits
    "1.2.3.4:80",
    "node-1",
    "example.com",
    "localhost",
  })
  void rejectsWhatGoRejects(String text) {
    assertThat(IpLiterals.parse16(text)).isNull();
  }

  @Test
  void k3sOrderPutsIpv4BetweenLowAndGlobalIpv6() {
    List<String> sorted =
        Stream.of("fe80::1", "10.0.0.10", "::1", "2001:db8::1", "junk", "10.0.0.9", "fd00::1", "::")
            .sorted(IpLiterals.K3S_ORDER)
            .toList();
    assertThat(sorted)
        .containsExactly(
            "junk", "::", "::1", "10.0.0.9", "10.0.0.10", "2001:db8::1", "fd00::1", "fe80::1");
  }

  @Test
  void sameAddressInTwoSpellingsIsOrderedByText() {
    assertThat(Stream.of("::ffff:10.0.0.1", "10.0.0.1").sorted(IpLiterals.K3S_ORDER).toList())
        .containsExactly("10.0.0.1", "::ffff:10.0.0.1");
  }
}
