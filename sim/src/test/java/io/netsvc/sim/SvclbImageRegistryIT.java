package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --system-default-registry} reaches the svclb pods' image, as K3s prefixes it to every
 * system image: an air-gapped cluster pulls klipper-lb from its mirror.
 */
class SvclbImageRegistryIT {

  @Test
  void theSvclbImageComesFromTheSystemDefaultRegistry() throws Exception {
    try (SimHarness sim =
        SimHarness.start(
            null, "--nodes", "1", "--system-default-registry", "reg.lan:5000/mirror")) {
      Service s = sim.create(SimHarness.lb("default", "web", 8080));
      String name = "svclb-web-" + s.getMetadata().getUid().substring(0, 8);
      DaemonSet ds =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      sim.client
                          .apps()
                          .daemonSets()
                          .inNamespace("kube-system")
                          .withName(name)
                          .get(),
                  d -> d != null);
      List<String> images =
          ds.getSpec().getTemplate().getSpec().getContainers().stream()
              .map(Container::getImage)
              .toList();
      assertThat(images).containsOnly("reg.lan:5000/mirror/rancher/klipper-lb:v0.4.9");
    }
  }
}
