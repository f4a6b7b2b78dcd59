package io.netsvc.config.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsvc.config.ip.IpAddress.Syntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static Cidr cidr(String s) {
    return Cidr.parse(s, Syntax.KUBERNETES).orElseThrow();
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s, Syntax.KUBERNETES).orElseThrow();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // host bits are cleared as Go's ParseCIDR and the kernel do
    "10.1.2.3/8, 10.0.0.0/8, IPV4",
    "10.0.0.5/32, 10.0.0.5/32, IPV4",
    "0.0.0.0/0, 0.0.0.0/0, IPV4",
    "192.168.1.77/24, 192.168.1.0/24, IPV4",
    "1.2.3.4/0, 0.0.0.0/0, IPV4",
    "10.0.0.0/08, 10.0.0.0/8, IPV4", // Go's dtoi reads leading zeros
    "2001:DB8::1/32, 2001:db8::/32, IPV6",
    "2001:DB8:0:0:1::5/64, 2001:db8::/64, IPV6",
    "fe80::1/10, fe80::/10, IPV6",
    "::/0, ::/0, IPV6",
    "1:0:0:2:0:0:0:3/128, 1:0:0:2::3/128, IPV6",
    // an IPv4-mapped network stays IPv6 until unmapped
    "::ffff:10.1.2.3/120, ::ffff:10.1.2.0/120, IPV6",
  })
  void parseMasksTheAddress(String in, String text, IpFamily family) {
    for (Syntax syntax : Syntax.values()) {
      Cidr c = Cidr.parse(in, syntax).orElseThrow();
      assertThat(c).hasToString(text);
      assertThat(c.family()).isEqualTo(family);
    }
  }

  /** Text that is no address is IpAddressTest's; here: no prefix, a bad prefix, blanks. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "fc00::/129",
        "10.0.0.0/",
        "10.0.0.0/x",
        "10.0.0.0/+8",
        "10.0.0.0/ 8",
        "10.0.0.0/8 ",
        " 10.0.0.0/8",
        "10.0.0.0/\u0668", // ARABIC-INDIC DIGIT EIGHT
        "x/8",
        "/8",
        "fe80::1%eth0/64",
        ""
      })
  void malformedCidr(String s) {
    for (Syntax syntax : Syntax.values()) assertThat(Cidr.parse(s, syntax)).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "10.0.0.0; missing prefix length",
        "''; missing prefix length",
        "999.1.1.1/8; not an IP address",
        "localhost/32; not an IP address",
        "10.0.0.0/33; prefix length must be 0-32",
        "10.0.0.0/; prefix length must be 0-32",
        "::1/129; prefix length must be 0-128",
        "::1/x; prefix length must be 0-128",
      })
  void parseOrThrowSaysWhy(String s, String why) {
    assertThatThrownBy(() -> Cidr.parseOrThrow(s, Syntax.KUBERNETES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(why);
  }

  @ParameterizedTest
  @EnumSource(Syntax.class)
  void nullIsNoCidr(Syntax syntax) {
    assertThat(Cidr.parse(null, syntax)).isEmpty();
  }

  @Test
  void theAddressIsReadInTheGivenSyntax() {
    assertThat(Cidr.parse("010.001.0.9/16", Syntax.GO)).isEmpty();
    assertThat(Cidr.parse("010.001.0.9/16", Syntax.KUBERNETES).map(Cidr::toString))
        .contains("10.1.0.0/16");
  }

  /** Go's IPNet.String: an IPv4-mapped network (prefix 96 or more) prints as the IPv4 one. */
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "::ffff:10.1.2.3/120, 10.1.2.0/24",
    "::ffff:10.1.2.3/96, 0.0.0.0/0",
    "::ffff:10.1.2.3/128, 10.1.2.3/32",
    "::ffff:10.1.2.3/64, ::/64",
    "64:ff9b::192.0.2.33/128, 64:ff9b::c000:221/128",
    "10.0.0.0/8, 10.0.0.0/8",
  })
  void unmapLikeGoIpNetString(String in, String out) {
    assertThat(cidr(in).unmap()).hasToString(out);
  }

  @Test
  void slashZeroSplitsIntoHalvesThatCoverEverything() {
    assertThat(cidr("0.0.0.0/0").halves())
        .extracting(Cidr::toString)
        .containsExactly("0.0.0.0/1", "128.0.0.0/1");
    // ::/1 + 8000::/1, so fc00::/7, fe80::/10 and ::ffff:0:0/96 are all inside "all IPv6"
    assertThat(cidr("::/0").halves())
        .extracting(Cidr::toString)
        .containsExactly("::/1", "8000::/1");
    for (String ip : new String[] {"fc00::1", "fd12::5", "fe80::1", "::ffff:1.2.3.4", "2001::1"}) {
      assertThat(cidr("::/0").halves()).anyMatch(h -> h.contains(ip(ip)));
    }
    assertThat(cidr("10.0.0.1/32").halves()).containsExactly(cidr("10.0.0.1/32"));
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.1.0.0/16, true",
    "10.0.0.0/8, 10.0.0.0/8, true",
    "10.1.0.0/16, 10.0.0.0/8, false",
    "10.0.0.0/8, 11.0.0.0/16, false",
    "fd00::/8, fd00:42::/64, true",
    "fd00::/8, 10.0.0.0/8, false",
    "0.0.0.0/0, ::/0, false",
    "::/0, ::ffff:10.0.0.0/104, true",
    // an address, without a prefix
    "10.0.0.0/8, 10.255.0.1, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "10.0.0.0/8, ::ffff:10.0.0.1, false", // another family until unmapped
    "::ffff:10.0.0.0/104, ::ffff:10.0.0.1, true",
    "fd00::/8, fd00::1, true",
    "fd00::/8, 10.0.0.1, false",
    "10.0.0.1/32, 10.0.0.1, true",
  })
  void containment(String outer, String inner, boolean expected) {
    boolean contains =
        inner.contains("/") ? cidr(outer).contains(cidr(inner)) : cidr(outer).contains(ip(inner));
    assertThat(contains).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} as an ipset entry: {1}")
  @CsvSource({"10.0.0.5/32, 10.0.0.5", "10.0.0.0/24, 10.0.0.0/24", "fd00::5/128, fd00::5"})
  void ipsetTextDropsFullLengthPrefix(String in, String out) {
    assertThat(cidr(in).ipsetText()).isEqualTo(out);
  }

  @Test
  void ofMasksAndHostIsFullLength() {
    assertThat(Cidr.of(ip("10.1.2.3"), 16)).isEqualTo(cidr("10.1.0.0/16"));
    assertThat(Cidr.of(ip("10.1.2.3"), 16).address()).isEqualTo(ip("10.1.0.0"));
    assertThat(Cidr.host(ip("fd00::1"))).hasToString("fd00::1/128");
    assertThat(Cidr.host(ip("10.0.0.1")).prefix()).isEqualTo(32);
    assertThat(cidr("0.0.0.0/0").isAll()).isTrue();
    assertThat(cidr("0.0.0.0/1").isAll()).isFalse();
    assertThatThrownBy(() -> Cidr.of(ip("10.0.0.1"), 33))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
