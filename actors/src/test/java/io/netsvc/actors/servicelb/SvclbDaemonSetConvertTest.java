package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.DaemonSetRenderer;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.WatchKind;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.HostPortUse;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What a restarted entity reads back from a svclb DaemonSet netsvc rendered. */
class SvclbDaemonSetConvertTest {
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final ServiceInfo SVC =
      Fixtures.svc()
          .ports(
              new PortSpec("http", "TCP", 80, 30080, "8080"),
              new PortSpec("dns", "UDP", 53, 30053, "53"))
          .build();

  @Test
  void theGrantedNodesAreTheAffinitysAndThePortsTheContainersHostPorts() {
    SvclbDaemonSetInfo ds =
        Convert.svclbDaemonSet(
            DaemonSetRenderer.render(SVC, RENDER, false, new TreeSet<>(List.of("n2", "n1"))));
    assertThat(ds.namespace()).isEqualTo("kube-system");
    assertThat(ds.name()).isEqualTo(SvclbNames.daemonSetName("web", Fixtures.UID));
    assertThat(ds.serviceKey()).isEqualTo("default/web");
    assertThat(ds.nodes()).containsExactly("n1", "n2");
    assertThat(ds.hostPorts())
        .containsExactly(new HostPortUse(80, "TCP", null), new HostPortUse(53, "UDP", null));
  }

  @Test
  void withoutAffinityNoNodeIsNamed() {
    assertThat(Convert.svclbDaemonSet(DaemonSetRenderer.render(SVC, RENDER, true, null)).nodes())
        .isEmpty();
  }

  @Test
  void theInformerSelectsTheLabelNetsvcRenders() {
    assertThat(WatchKind.SVCLB_LABEL).isEqualTo(SvclbNames.SVCNAME_LABEL);
  }
}
