package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SvclbNamesTest {
  static final String UID = Fixtures.UID;

  /** K3s's generateName vectors (pkg/cloudprovider/servicelb_test.go), then the edges. */
  @ParameterizedTest
  @CsvSource({
    "a-service, svclb-a-service-35a5ccb3",
    "a-service-with-a-very-veeeeeery-long-yet-valid-name,"
        + " svclb-a-service-with-a-very-veeeeeery-long-yet-valid-n-35a5ccb3",
    "a-service-with-a-name-with-inconvenient------------hypens,"
        + " svclb-a-service-with-a-name-with-inconvenient-35a5ccb3",
    // exactly 48: kept whole, even with a trailing hyphen (K3s only trims longer names)
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-,"
        + " svclb-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa--35a5ccb3",
    // 49: cut to 48
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab,"
        + " svclb-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-35a5ccb3",
    // a hyphen just after the cut does not matter
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b,"
        + " svclb-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-35a5ccb3",
  })
  void daemonSetNameAsK3sGenerateName(String service, String expected) {
    assertThat(service.length()).isLessThanOrEqualTo(63);
    String name = SvclbNames.daemonSetName(service, UID);
    assertThat(name).isEqualTo(expected);
    assertThat(name.length()).isLessThanOrEqualTo(63); // still a valid label value for "app"
  }

  @ParameterizedTest
  @CsvSource({
    "svccontroller.k3s.cattle.io/svcname, " + SvclbNames.SVCNAME_LABEL,
    "svccontroller.k3s.cattle.io/svcnamespace, " + SvclbNames.SVCNAMESPACE_LABEL,
    "svccontroller.k3s.cattle.io/enablelb, " + SvclbNames.ENABLELB_LABEL,
    "svccontroller.k3s.cattle.io/lbpool, " + SvclbNames.LBPOOL_LABEL,
    "svccontroller.k3s.cattle.io/nodeselector, " + SvclbNames.NODESELECTOR_LABEL,
    "svccontroller.k3s.cattle.io/priorityclassname, " + SvclbNames.PRIORITY_ANNOTATION,
    "svccontroller.k3s.cattle.io/tolerations, " + SvclbNames.TOLERATIONS_ANNOTATION,
    "svccontroller.k3s.cattle.io/daemonset, " + SvclbNames.LEGACY_FINALIZER,
    "system-node-critical, " + SvclbNames.DEFAULT_PRIORITY_CLASS,
    "svclb, " + SvclbNames.SERVICE_ACCOUNT,
    "rancher/klipper-lb:v0.4.9, " + SvclbNames.DEFAULT_IMAGE,
    "service-lb-controller, " + SvclbNames.CONTROLLER_NAME,
  })
  void constantsAreK3sStrings(String k3s, String ours) {
    assertThat(ours).isEqualTo(k3s);
  }

  /** K3s prefixes {@code --system-default-registry} and a '/' to the image; none: as it is. */
  @ParameterizedTest
  @CsvSource({
    "'', rancher/klipper-lb:v0.4.9",
    "reg.lan, reg.lan/rancher/klipper-lb:v0.4.9",
    "reg.lan:5000/mirror, reg.lan:5000/mirror/rancher/klipper-lb:v0.4.9",
  })
  void theImageComesFromTheSystemDefaultRegistry(String registry, String image) {
    assertThat(SvclbNames.image(registry)).isEqualTo(image);
  }
}
