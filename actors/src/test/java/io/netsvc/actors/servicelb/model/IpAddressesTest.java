package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * K8s's {@code IsIPv4String}/{@code IsIPv6String} (k8s.io/utils/net, on the Go 1.16 parser forked
 * in k8s.io/utils/internal/third_party/forked/golang/net). Rows marked "fork" are that fork's own
 * {@code parseIPTests}.
 */
class IpAddressesTest {

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
        "localhost; false; false",
        "example.com; false; false",
      })
  void familyOfAnAddressLikeKubernetes(String ip, boolean v4, boolean v6) {
    assertThat(IpAddresses.isIPv4(ip)).as("isIPv4(%s)", ip).isEqualTo(v4);
    assertThat(IpAddresses.isIPv6(ip)).as("isIPv6(%s)", ip).isEqualTo(v6);
  }

  @Test
  void emptyAndNullAreNeither() {
    assertThat(IpAddresses.isIPv4("")).isFalse();
    assertThat(IpAddresses.isIPv6("")).isFalse();
    assertThat(IpAddresses.isIPv4(null)).isFalse();
    assertThat(IpAddresses.isIPv6(null)).isFalse();
  }

  /** Go accepts ASCII hex and decimal digits only; other Unicode digits are not an address. */
  @ParameterizedTest
  @CsvSource({
    "fe80::\uff11", // FULLWIDTH DIGIT ONE
    "fe80::\uff21", // FULLWIDTH LATIN CAPITAL LETTER A
    "fe80::\u0661", // ARABIC-INDIC DIGIT ONE
    "\u0661.2.3.4",
  })
  void nonAsciiDigitsAreNotAnAddress(String ip) {
    assertThat(IpAddresses.isIPv6(ip)).as("isIPv6(%s)", ip).isFalse();
    assertThat(IpAddresses.isIPv4(ip)).as("isIPv4(%s)", ip).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "10.001.0.1; 10.1.0.1",
        "0:0:0:0:0:0:0:0; ::",
        "0:0:0:0:0:0:0:1; ::1",
        "1:0:0:0:0:0:0:0; 1::",
        "2001:DB8:0:0:0:0:0:1; 2001:db8::1",
        "2001:db8:0:0:1:0:0:1; 2001:db8::1:0:0:1", // tie: the first run is compressed
        "1:0:0:1:0:0:0:1; 1:0:0:1::1", // the longest run wins
        "1:0:1:0:1:0:1:0; 1:0:1:0:1:0:1:0", // a single zero group stays
        "2001:db8::0a:0b; 2001:db8::a:b",
        "64:ff9b::192.0.2.33; 64:ff9b::c000:221",
      })
  void printsLikeGo(String in, String out) {
    assertThat(IpAddresses.format(IpAddresses.parse(in))).isEqualTo(out);
  }

  @Test
  void parseGivesFourBytesForIpv4AndSixteenForIpv6() {
    assertThat(IpAddresses.parse("1.2.3.4")).containsExactly(1, 2, 3, 4);
    assertThat(IpAddresses.parse("::ffff:1.2.3.4"))
        .hasSize(16)
        .satisfies(b -> assertThat(IpAddresses.isMapped(b)).isTrue());
    assertThat(IpAddresses.isMapped(IpAddresses.parse("::fffe:1.2.3.4"))).isFalse();
    assertThat(IpAddresses.parse("no")).isNull();
  }
}
