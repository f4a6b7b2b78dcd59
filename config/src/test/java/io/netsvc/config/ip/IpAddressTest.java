package io.netsvc.config.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsvc.config.ip.IpAddress.Syntax;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading IP literals in both syntaxes. The text they print is {@link IpAddressTextTest}'s. */
class IpAddressTest {

  private static Optional<IpAddress> go(String s) {
    return IpAddress.parse(s, Syntax.GO);
  }

  private static Optional<IpAddress> k8s(String s) {
    return IpAddress.parse(s, Syntax.KUBERNETES);
  }

  /** Go's net.ParseIP 16-byte form (Go 1.22+, on net/netip), which K3s sorts NodeHosts by. */
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
  void goReadsLikeNetParseIp(String ip, String hex) {
    assertThat(go(ip).map(IpAddress::to16).map(HexFormat.of()::formatHex)).contains(hex);
  }

  /** Go 1.17+ net.ParseIP, for K3s's NodeHosts and netsvc's own flags and files. */
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "",
        "010.0.0.1", // leading zeros: other parsers read "010" as octal
        "01.2.3.4",
        "::ffff:010.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "1.2.3.256",
        "1..2.3",
        "1..3.4",
        "-1.0.0.0",
        "1.2.3.-1",
        "a.b.c.d",
        "fe80::1%eth0", // ParseIP refuses zones
        "fd00::1%eth0",
        "1:2:3:4:5:6:7::8", // '::' must stand for at least one zero group
        "12345::",
        "12345::1",
        "0:0:0:0:000000:ffff:127.1.2.3", // at most four hex digits a group
        ":",
        ":::",
        "1::2::3",
        ":1::",
        ":1::2",
        "1:",
        "1::2:",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:1.2.3.4", // embedded IPv4 must be the last 32 bits
        "::1.2.3",
        "1.2.3.4::",
        "1.2.3.4:80",
        "fe80::g",
        "[::1]",
        " 10.0.0.1",
        "node-1",
        "example.com",
        "localhost",
      })
  void goRejectsWhatGoRejects(String text) {
    assertThat(go(text)).isEmpty();
  }

  /**
   * k8s.io/utils's IsIPv4String/IsIPv6String: {@code unmap().family()} of the KUBERNETES reading.
   * Rows marked "fork" are the own {@code parseIPTests} of the Go 1.16 parser forked in
   * k8s.io/utils/internal/third_party/forked/golang/net.
   */
  @ParameterizedTest(name = "[{index}] \"{0}\" v4={1} v6={2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "10.0.0.1; true; false",
        "0.0.0.0; true; false",
        "255.255.255.255; true; false",
        "127.001.002.003; true; false", // fork: leading zeros kept (issue.k8s.io/100895)
        "127.010.020.030; true; false", // fork
        "::ffff:127.1.2.3; true; false", // fork: IPv4-mapped counts as IPv4
        "::ffff:127.001.002.003; true; false", // fork
        "::ffff:7f01:0203; true; false", // fork
        "0:0:0:0:0000:ffff:127.1.2.3; true; false", // fork
        "0:0:0:0:000000:ffff:127.1.2.3; true; false", // fork: more than 4 hex digits, value <= ffff
        "0:0:0:0::ffff:127.1.2.3; true; false", // fork
        "2001:4860:0:2001::68; false; true", // fork
        "2001:4860:0000:2001:0000:0000:0000:0068; false; true", // fork
        "2001:DB8::1; false; true",
        "::; false; true",
        "::1; false; true",
        "1::; false; true",
        "::1.2.3.4; false; true",
        "fe80::1; false; true",
        "-0.0.0.0; false; false", // fork
        "0.-1.0.0; false; false", // fork
        "127.0.0.256; false; false", // fork
        "abc; false; false", // fork
        "123:; false; false", // fork
        "fe80::1%lo0; false; false", // fork: no zones
        "a1:a2:a3:a4::b1:b2:b3:b4; false; false", // fork: '::' must stand for a zero group
        "1.2.3; false; false",
        "1.2.3.4.5; false; false",
        "1..2.3; false; false",
        "' 1.2.3.4'; false; false",
        "1.2.3.4::; false; false",
        "1:2:3:4:5:6:7:8:9; false; false",
        "1:2:3:4:5:6:7::8; false; false",
        ":::; false; false",
        "1:::2; false; false",
        "10000::; false; false",
        "12345::; false; false",
        "g::; false; false",
        "1::2::3; false; false",
        ":1::; false; false",
        "1:2:3:4:5:6:7:8::; false; false",
        "a.b.c.d; false; false",
        "localhost; false; false",
        "example.com; false; false",
        "''; false; false",
      })
  void kubernetesFamilyLikeIsIpv4StringAndIsIpv6String(String ip, boolean v4, boolean v6) {
    Optional<IpFamily> family = k8s(ip).map(a -> a.unmap().family());
    assertThat(family.filter(f -> f == IpFamily.IPV4).isPresent())
        .as("IsIPv4String(%s)", ip)
        .isEqualTo(v4);
    assertThat(family.filter(f -> f == IpFamily.IPV6).isPresent())
        .as("IsIPv6String(%s)", ip)
        .isEqualTo(v6);
  }

  /** Where the syntaxes part: leading zeros and long hex groups. */
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(
      delimiter = ';',
      value = {
        "010.0.0.1; 10.0.0.1",
        "10.001.0.1; 10.1.0.1",
        "0000000010.0.0.1; 10.0.0.1",
        "::ffff:010.0.0.1; ::ffff:10.0.0.1",
        "2001:db8::000001; 2001:db8::1",
        "0:0:0:0:000000:ffff:127.1.2.3; ::ffff:127.1.2.3",
      })
  void onlyKubernetesReadsLeadingZeros(String text, String canonical) {
    assertThat(go(text)).isEmpty();
    assertThat(k8s(text).map(IpAddress::toString)).contains(canonical);
  }

  /** Go accepts ASCII hex and decimal digits only; other Unicode digits are not an address. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "fe80::\uff11", // FULLWIDTH DIGIT ONE
        "fe80::\uff21", // FULLWIDTH LATIN CAPITAL LETTER A
        "fe80::\u0661", // ARABIC-INDIC DIGIT ONE
        "\u0661.2.3.4",
      })
  void nonAsciiDigitsAreNotAnAddress(String ip) {
    assertThat(go(ip)).isEmpty();
    assertThat(k8s(ip)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Syntax.class)
  void nullIsNoAddress(Syntax syntax) {
    assertThat(IpAddress.parse(null, syntax)).isEmpty();
  }

  @Test
  void theFormOfTheTextIsKept() {
    IpAddress v4 = go("1.2.3.4").orElseThrow();
    IpAddress mapped = go("::ffff:1.2.3.4").orElseThrow();
    assertThat(v4.bytes()).containsExactly(1, 2, 3, 4);
    assertThat(v4.family()).isEqualTo(IpFamily.IPV4);
    assertThat(mapped.bytes()).hasSize(16);
    assertThat(mapped.family()).isEqualTo(IpFamily.IPV6);
    assertThat(mapped.isIpv4Mapped()).isTrue();
    assertThat(mapped).isNotEqualTo(v4);
    assertThat(mapped.unmap()).isEqualTo(v4);
    assertThat(v4.unmap()).isSameAs(v4);
    assertThat(go("::fffe:1.2.3.4").orElseThrow().isIpv4Mapped()).isFalse();
    assertThat(go("::fffe:1.2.3.4").orElseThrow().unmap().family()).isEqualTo(IpFamily.IPV6);
    assertThat(v4.to16()).isEqualTo(mapped.to16());
  }

  @Test
  void equalAddressesFromTwoSpellings() {
    assertThat(go("FD00:0:0::1")).isEqualTo(go("fd00::1"));
    assertThat(go("FD00:0:0::1").orElseThrow().hashCode())
        .isEqualTo(go("fd00::1").orElseThrow().hashCode());
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] b = {10, 0, 0, 1};
    IpAddress a = IpAddress.fromBytes(b);
    b[3] = 2;
    a.bytes()[3] = 3;
    assertThat(a).hasToString("10.0.0.1");
    assertThatThrownBy(() -> IpAddress.fromBytes(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
