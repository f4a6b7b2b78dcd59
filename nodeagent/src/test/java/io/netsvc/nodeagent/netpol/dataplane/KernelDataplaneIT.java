package io.netsvc.nodeagent.netpol.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.model.Cleanup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dataplane against a real kernel (a network namespace of this test's own): drift is found and
 * repaired, pod churn writes only a little, and the clean-up leaves everybody else's rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelDataplaneIT {
  static final String NETNS = "npkd-node";
  static final Duration T = Duration.ofSeconds(10);
  NetnsBackend kernel;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root for a network namespace (CI runs as root)");
    CommandRunner.run(List.of("ip", "netns", "delete", NETNS), "", T);
    CommandRunner.check(List.of("ip", "netns", "add", NETNS), "", T);
    kernel = new NetnsBackend(NETNS);
  }

  @AfterAll
  void stop() throws Exception {
    CommandRunner.run(List.of("ip", "netns", "delete", NETNS), "", T);
  }

  static NetpolPod pod(String name, String ip) {
    return new NetpolPod("x", name, "n1", Map.of("app", name), ip, null, List.of(), false, false);
  }

  static NetpolDataplane.State state(List<NetpolPod> pods) {
    NetworkPolicyInfo deny =
        new NetworkPolicyInfo(
            "x", "deny", "u1", Map.of(), SelectorInfo.ALL, List.of("Ingress"), List.of(), null);
    ClusterView view = ClusterView.of(List.of(new NamespaceInfo("x", Map.of())), pods);
    List<CompiledPolicy> policies = List.of(PolicyCompiler.compile(deny, view));
    return new NetpolDataplane.State("n1", List.of("10.42.0.0/24"), pods, policies);
  }

  @Test
  void driftIsRepairedPodChurnIsSmallAndTheCleanUpLeavesOthersAlone() throws Exception {
    RenderingDataplane dp = new RenderingDataplane(kernel, EnumSet.of(IpFamily.IPV4));
    List<NetpolPod> pods = new ArrayList<>();
    for (int i = 0; i < 50; i++) pods.add(pod("p" + i, "10.42.0." + (10 + i)));
    NetpolDataplane.Report full = dp.apply(state(pods));
    assertThat(full.error()).isNull();
    assertThat(kernel.saveFilterTable(IpFamily.IPV4))
        .contains("KUBE-ROUTER-FORWARD", "KUBE-POD-FW-");
    assertThat(dp.repairDrift()).isFalse();

    // one more pod: a fraction of the first apply
    pods.add(pod("p50", "10.42.0.60"));
    NetpolDataplane.Report churn = dp.apply(state(pods));
    assertThat(churn.error()).isNull();
    assertThat(churn.bytes()).isLessThan(full.bytes() / 10);

    // someone flushes a chain of ours: found and restored
    kernel.restore(IpFamily.IPV4, "*filter\n:KUBE-ROUTER-FORWARD - [0:0]\nCOMMIT\n");
    assertThat(dp.repairDrift()).isTrue();
    assertThat(kernel.saveFilterTable(IpFamily.IPV4)).contains("-A KUBE-ROUTER-FORWARD");
    assertThat(dp.repairDrift()).isFalse();

    // the clean-up after --disable-network-policy
    kernel.restore(IpFamily.IPV4, "*filter\n-A FORWARD -s 192.0.2.0/24 -j ACCEPT\nCOMMIT\n");
    Cleanup.Plan plan = Cleanup.plan(kernel.saveFilterTable(IpFamily.IPV4), kernel.saveSets());
    kernel.restore(IpFamily.IPV4, plan.iptables());
    kernel.ipsetRestore(plan.ipset());
    String after = kernel.saveFilterTable(IpFamily.IPV4);
    assertThat(after).doesNotContain("KUBE-ROUTER", "KUBE-POD-FW", "KUBE-NWPLCY");
    assertThat(after).contains("-A FORWARD -s 192.0.2.0/24 -j ACCEPT");
    assertThat(kernel.saveSets())
        .doesNotContain("KUBE-DST-", "KUBE-SRC-", "kube-router-local-pods");
  }
}
