package io.netsvc.config.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpAddress.Syntax;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one text form: what {@code ipset save} and {@code iptables-save} print (glibc's {@code
 * inet_ntop}), which is RFC 5952 and Go's {@code netip} but for IPv4-compatible addresses.
 */
class IpAddressTextTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "10.0.0.1; 10.0.0.1",
        "0.0.0.0; 0.0.0.0",
        "255.255.255.255; 255.255.255.255",
        "10.001.0.1; 10.1.0.1", // KUBERNETES only
        "::; ::",
        "::1; ::1",
        "0:0:0:0:0:0:0:0; ::",
        "0:0:0:0:0:0:0:1; ::1",
        "1:0:0:0:0:0:0:0; 1::",
        "fd00::; fd00::",
        "fd00:0:0:0:0:0:0:0; fd00::",
        "2001:db8::; 2001:db8::",
        "2001:DB8:0:0:0:0:0:1; 2001:db8::1",
        "FD00:0000:0000:0000:0000:0000:0000:0001; fd00::1",
        "2001:db8::0a:0b; 2001:db8::a:b",
        // a single zero group is not compressed
        "2001:db8:0:1:1:1:1:1; 2001:db8:0:1:1:1:1:1",
        "1:0:1:0:1:0:1:0; 1:0:1:0:1:0:1:0",
        "1:2:3:4:5:6:7::; 1:2:3:4:5:6:7:0",
        // the longest run wins, the first on a tie
        "1:0:0:2:0:0:0:3; 1:0:0:2::3",
        "1:0:0:1:0:0:0:1; 1:0:0:1::1",
        "1:0:0:2:0:0:3:4; 1::2:0:0:3:4",
        "2001:db8:0:0:1:0:0:1; 2001:db8::1:0:0:1",
        "2001:0:0:1::1; 2001:0:0:1::1",
        // IPv4-mapped: a dotted tail, as glibc, netip and RFC 5952 print it
        "0:0:0:0:0:ffff:102:304; ::ffff:1.2.3.4",
        "::ffff:192.0.2.1; ::ffff:192.0.2.1",
        "::ffff:0:1; ::ffff:0.0.0.1",
        // other embedded IPv4 is hex ...
        "64:ff9b::192.0.2.33; 64:ff9b::c000:221",
        "::fffe:1.2.3.4; ::fffe:102:304",
        // ... but for glibc's IPv4-compatible form (Go prints ::102:304): the kernel tools print
        // it so, and netsvc compares its ipset entries with theirs
        "::102:304; ::1.2.3.4",
        "::0.1.0.0; ::0.1.0.0",
      })
  void canonicalText(String in, String out) {
    assertThat(IpAddress.parse(in, Syntax.KUBERNETES).map(IpAddress::toString)).contains(out);
    // the text does not depend on the syntax read
    Optional<IpAddress> go = IpAddress.parse(in, Syntax.GO);
    assertThat(go.map(IpAddress::toString)).isIn(Optional.empty(), Optional.of(out));
  }
}
