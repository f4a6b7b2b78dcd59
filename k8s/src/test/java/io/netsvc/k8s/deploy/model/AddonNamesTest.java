package io.netsvc.k8s.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddonNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "coredns.yaml, coredns",
    "traefik-config.yaml, traefik-config",
    "traefik-config.v2.yaml, traefik-config",
    "metrics-server/metrics-server-deployment.yaml, metrics-server-deployment",
    "a/b.c/app.json, app",
    "noextension, noextension",
    "My_App.YML, My_App",
  })
  void nameIsTheFileNameUpToTheFirstDot(String file, String name) {
    assertThat(AddonNames.of(file)).isEqualTo(name);
  }

  @ParameterizedTest(name = "''{0}'' valid={1}")
  @CsvSource({
    "coredns, true",
    "traefik-config, true",
    "a, true",
    "0abc9, true",
    "a.b-c.d, true",
    "my_app, false",
    "MyApp, false",
    "-app, false",
    "app-, false",
    "'', false",
    "app..x, false",
  })
  void validatesAsAnRfc1123Subdomain(String name, boolean valid) {
    assertThat(AddonNames.invalid(name).isEmpty()).isEqualTo(valid);
    if (!valid) {
      assertThat(AddonNames.invalid(name)).contains(AddonNames.SUBDOMAIN_MESSAGE);
    }
  }

  @ParameterizedTest(name = "length {0} valid={1}")
  @CsvSource({"253, true", "254, false"})
  void refusesNamesLongerThan253(int length, boolean valid) {
    String name = "a".repeat(length);
    assertThat(AddonNames.invalid(name).isEmpty()).isEqualTo(valid);
    if (!valid) assertThat(AddonNames.invalid(name)).contains(AddonNames.TOO_LONG_MESSAGE);
  }
}
