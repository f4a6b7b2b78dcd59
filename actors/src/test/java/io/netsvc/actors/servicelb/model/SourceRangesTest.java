package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourceRangesTest {
  static final String ANN = SourceRanges.ANNOTATION;

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "10.0.0.5/8; 10.0.0.0/8",
        "192.168.1.77/24; 192.168.1.0/24",
        "1.2.3.4/32; 1.2.3.4/32",
        "1.2.3.4/0; 0.0.0.0/0",
        "010.001.0.9/16; 10.1.0.0/16",
        "' 172.16.5.4/12 '; 172.16.0.0/12",
        "2001:DB8:0:0:1::5/64; 2001:db8::/64",
        "2001:db8:0:0:1:0:0:5/128; 2001:db8::1:0:0:5/128",
        "fe80::1/10; fe80::/10",
        "::/0; ::/0",
        "1:0:0:2:0:0:0:3/128; 1:0:0:2::3/128",
        "1:0:0:2:0:0:3:4/128; 1::2:0:0:3:4/128",
        "::ffff:10.1.2.3/120; 10.1.2.0/24",
        "::ffff:10.1.2.3/64; ::/64",
        "64:ff9b::192.0.2.33/128; 64:ff9b::c000:221/128",
        // netsvc's one IPv6 text (glibc's, as the kernel tools print it); Go: ::102:304/128
        "::102:304/128; ::1.2.3.4/128",
      })
  void normalisesLikeGoIpNetString(String in, String out) {
    assertThat(SourceRanges.normalise(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/",
        "999.1.1.1/8",
        "1.2.3/8",
        "example.com/8",
        "localhost/32",
        "::1/129",
        "1::2::3/64",
        "1.2.3.4::/64",
        "fe80::1%eth0/64",
        "12345::/16",
        "1:2:3:4:5:6:7:8:9/64",
        "1:2:3:4:5:6:7::8/64",
        ""
      })
  void rejectsWhatGoRejectsAndNeverResolvesNames(String in) {
    assertThatThrownBy(() -> SourceRanges.normalise(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid load balancer source range \"" + in.trim() + "\": ");
  }

  @Test
  void specWinsOverTheAnnotation() {
    var s = svc().sourceRanges("10.0.0.0/8").annotation(ANN, "192.168.0.0/16").build();
    assertThat(SourceRanges.of(s)).isEqualTo("10.0.0.0/8");
  }

  @Test
  void annotationIsACommaListWithSpaces() {
    var s = svc().annotation(ANN, " 192.168.0.0/16, 10.0.0.0/8 ").build();
    assertThat(SourceRanges.of(s)).isEqualTo("10.0.0.0/8,192.168.0.0/16");
  }

  @Test
  void sortedAndDeduplicatedUnlikeK3sRandomOrder() {
    var s =
        svc().sourceRanges("192.168.0.0/16", "10.1.2.3/8", "10.0.0.0/8", "2001:db8::/32").build();
    assertThat(SourceRanges.of(s)).isEqualTo("10.0.0.0/8,192.168.0.0/16,2001:db8::/32");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "IPv4; 0.0.0.0/0",
        "IPv6; 0.0.0.0/0,::/0",
        "IPv4,IPv6; 0.0.0.0/0,::/0",
        "IPv6,IPv4; 0.0.0.0/0,::/0",
      })
  void defaultAllowsEverythingInTheServiceFamilies(String families, String expected) {
    var s = svc().families(families.split(",")).build();
    assertThat(SourceRanges.of(s)).isEqualTo(expected);
    // K3s compares the joined value, so an explicit 0.0.0.0/0 behaves the same
    assertThat(
            SourceRanges.of(svc().families(families.split(",")).sourceRanges("0.0.0.0/0").build()))
        .isEqualTo(expected);
  }

  @Test
  void blankAnnotationMeansTheDefault() {
    assertThat(SourceRanges.of(svc().annotation(ANN, "  ").build())).isEqualTo("0.0.0.0/0");
  }

  @Test
  void emptyEntriesInTheAnnotationAreInvalidAsUpstream() {
    assertThatThrownBy(() -> SourceRanges.of(svc().annotation(ANN, "10.0.0.0/8,").build()))
        .hasMessage("invalid load balancer source range \"\": missing prefix length");
    assertThatThrownBy(() -> SourceRanges.of(svc().sourceRanges("10.0.0.0/8", "bogus").build()))
        .hasMessage("invalid load balancer source range \"bogus\": missing prefix length");
  }
}
