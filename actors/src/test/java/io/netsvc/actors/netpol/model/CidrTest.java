package io.netsvc.actors.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  /** What {@code ipset save} / {@code iptables-save} print (glibc inet_ntop). */
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "10.0.0.1, 10.0.0.1",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "::, ::",
    "::1, ::1",
    "fd00::, fd00::",
    "fd00:0:0:0:0:0:0:0, fd00::",
    // a single zero group is not compressed
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    // the longest run wins, the first on a tie
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    "0:0:0:0:0:ffff:102:304, ::ffff:1.2.3.4",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    "::102:304, ::1.2.3.4",
  })
  void canonicalText(String in, String out) {
    assertThat(IpText.canonical(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1..2.3",
        "a.b.c.d",
        "1:::2",
        "12345::",
        "1:2:3:4:5:6:7:8:9",
        "g::",
        "1::2::3",
        ":1::",
        "1:2:3:4:5:6:7:8::",
        "fe80::1%eth0"
      })
  void notAnAddress(String s) {
    assertThat(IpText.parse(s)).isNull();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // host bits are cleared as Go's ParseCIDR and the kernel do
    "10.1.2.3/8, 10.0.0.0/8, IPV4",
    "10.0.0.5/32, 10.0.0.5/32, IPV4",
    "0.0.0.0/0, 0.0.0.0/0, IPV4",
    "2001:DB8::1/32, 2001:db8::/32, IPV6",
    "::/0, ::/0, IPV6",
  })
  void parseNormalises(String in, String text, IpFamily family) {
    Cidr c = Cidr.parse(in);
    assertThat(c.text()).isEqualTo(text);
    assertThat(c.family()).isEqualTo(family);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.0", "10.0.0.0/33", "fc00::/129", "10.0.0.0/", "10.0.0.0/x", "x/8", "/8"})
  void malformedCidr(String s) {
    assertThat(Cidr.parse(s)).isNull();
  }

  @Test
  void slashZeroSplitsIntoHalvesThatCoverEverything() {
    assertThat(Cidr.parse("0.0.0.0/0").halves())
        .extracting(Cidr::text)
        .containsExactly("0.0.0.0/1", "128.0.0.0/1");
    // D6: ::/1 + 8000::/1, so fc00::/7, fe80::/10 and ::ffff:0:0/96 are all inside "all IPv6"
    assertThat(Cidr.parse("::/0").halves())
        .extracting(Cidr::text)
        .containsExactly("::/1", "8000::/1");
    for (String ip : new String[] {"fc00::1", "fd12::5", "fe80::1", "::ffff:1.2.3.4", "2001::1"}) {
      assertThat(Cidr.parse("::/0").halves()).anyMatch(h -> h.containsIp(ip));
    }
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.1.0.0/16, true",
    "10.0.0.0/8, 10.0.0.0/8, true",
    "10.1.0.0/16, 10.0.0.0/8, false",
    "10.0.0.0/8, 11.0.0.0/16, false",
    "fd00::/8, fd00:42::/64, true",
    "fd00::/8, 10.0.0.0/8, false",
  })
  void containment(String outer, String inner, boolean expected) {
    assertThat(Cidr.parse(outer).contains(Cidr.parse(inner))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} as an ipset entry: {1}")
  @CsvSource({"10.0.0.5/32, 10.0.0.5", "10.0.0.0/24, 10.0.0.0/24", "fd00::5/128, fd00::5"})
  void ipsetTextDropsFullLengthPrefix(String in, String out) {
    assertThat(Cidr.parse(in).ipsetText()).isEqualTo(out);
  }
}
