package io.netsvc.config.ip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpFamilyTest {

  @ParameterizedTest
  @CsvSource({"IPv4, IPV4, 32, inet", "IPv6, IPV6, 128, inet6"})
  void kubernetesNameBitsAndIpsetFamily(String name, IpFamily f, int bits, String ipset) {
    assertThat(IpFamily.fromKubernetesName(name)).contains(f);
    assertThat(f.kubernetesName()).isEqualTo(name);
    assertThat(f.bits()).isEqualTo(bits);
    assertThat(f.ipsetFamily()).isEqualTo(ipset);
  }

  /** The API's enum is case-sensitive; anything else is not a family. */
  @ParameterizedTest
  @ValueSource(strings = {"ipv4", "IPV6", "", "IPv4 ", "inet"})
  void otherNamesAreNoFamily(String name) {
    assertThat(IpFamily.fromKubernetesName(name)).isEmpty();
  }
}
