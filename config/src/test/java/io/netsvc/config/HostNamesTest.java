package io.netsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNamesTest {

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
    assertEquals(valid, HostNames.isDnsLabel(name));
  }
}
