package io.netsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1,                                10.0.0.1",
    "0.0.0.0,                                 0.0.0.0",
    "255.255.255.255,                         255.255.255.255",
    "::,                                      ::",
    "::1,                                     ::1",
    "FD00:0000:0000:0000:0000:0000:0000:0001, fd00::1",
    "2001:db8:0:0:1:0:0:1,                    2001:db8::1:0:0:1",
    "2001:db8::,                              2001:db8::",
    "1:2:3:4:5:6:7::,                         1:2:3:4:5:6:7:0",
    "2001:0:0:1::1,                           2001:0:0:1::1",
    "::ffff:192.0.2.1,                        ::ffff:192.0.2.1",
    "64:ff9b::192.0.2.33,                     64:ff9b::c000:221",
  })
  void validLiteralsInCanonicalForm(String given, String canonical) {
    assertEquals(Optional.of(canonical), Addresses.canonicalIp(given));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.256",
        "01.2.3.4",
        "1.2.3.-1",
        "1..3.4",
        "a.b.c.d",
        "localhost",
        "example.com",
        ":",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::1",
        "fd00::1%eth0",
        "[::1]",
        ":1::2",
        "1::2:",
        "::1.2.3",
        "1.2.3.4::",
        "fe80::g",
        " 10.0.0.1"
      })
  void invalidLiterals(String given) {
    assertEquals(Optional.empty(), Addresses.canonicalIp(given));
  }

  @ParameterizedTest
  @CsvSource({
    "kube-system, true",
    "lb, true",
    "a, true",
    "a-b-9, true",
    "-a, false",
    "a-, false",
    "A, false",
    "a.b, false",
    "a_b, false",
    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc, true",
    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd, false",
  })
  void dnsLabels(String name, boolean valid) {
    assertEquals(valid, Addresses.isDnsLabel(name));
  }
}
