package io.netsvc.nodeagent.netpol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.nodeagent.netpol.NetpolDataplane;
import io.netsvc.nodeagent.netpol.RenderingDataplane;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import io.netsvc.nodeagent.netpol.lab.NetnsLab;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream e2e NetworkPolicy cases and netsvc's regression cases with real packets: two node
 * namespaces, pods a, b, c in namespaces x, y, z spread over both, each answering on TCP and UDP 80
 * and 81. Every change is compiled, rendered and applied to each node namespace through the same
 * dataplane the agent uses; every probe step checks the whole 9×9 matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceIT {
  static final String PREFIX = "npc";
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);
  NetnsLab lab;
  World world;
  Map<String, NetpolDataplane> dataplanes = new LinkedHashMap<>();

  /** Every pair of the matrix at once: a silent (dropped) probe waits out its timeout. */
  ExecutorService probes = Executors.newFixedThreadPool(81);

  @BeforeAll
  void start() throws Exception {
    assumeTrue(LabSupport.usable(), LabSupport.reason());
    NetnsLab.removeLeftovers(PREFIX);
    lab = new NetnsLab(PREFIX);
    world = new World();
    for (String node : World.NODES) {
      lab.addNode(node, World.nodeIp(node), World.podCidr(node));
      dataplanes.put(
          node,
          new RenderingDataplane(
              new NetnsBackend(lab.nodeNamespace(node)), EnumSet.of(IpFamily.IPV4)));
    }
    for (String pod : Truth.ALL) {
      String[] p = pod.split("/");
      lab.addPod(p[0], p[1], world.node(pod), world.ip(pod), List.of(80, 81), List.of(80, 81));
    }
  }

  @AfterAll
  void stop() {
    probes.shutdownNow();
    if (lab != null) lab.close();
  }

  static Stream<UpstreamCases.Case> cases() {
    return Stream.concat(UpstreamCases.all().stream(), RegressionCases.all().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reachabilityMatchesTheSpec(UpstreamCases.Case c) throws Exception {
    world.reset();
    sync();
    int stepNo = 0;
    for (Step step : c.steps()) {
      stepNo++;
      if (step instanceof Step.Probe probe) {
        Truth observed = probeAll(probe.protocol(), probe.port());
        assertThat(probe.expected().differences(observed))
            .as(
                "case %s, step %d (%s %d); observed:%n%s",
                c, stepNo, probe.protocol(), probe.port(), observed)
            .isEmpty();
      } else {
        world.apply(step);
        sync();
      }
    }
  }

  /**
   * D1: a pod that has started but whose rules do not exist yet can neither send nor receive —
   * kube-router v2.6.3 lets it talk freely until its next sync.
   */
  @org.junit.jupiter.api.Test
  void aPodTalksOnlyOnceItsRulesExist() throws Exception {
    world.reset();
    world.apply(Step.apply(Policies.ingress("x", "deny-ingress", SelectorInfo.ALL)));
    sync();
    String ip = "10.128.0.50";
    lab.addPod("x", "d", "node-1", ip, List.of(80), List.of());
    try {
      // started by its kubelet, not yet programmed by its agent
      assertThat(lab.probe("x", "d", world.ip("y/a"), 80, "TCP", PROBE_TIMEOUT)).isFalse();
      assertThat(lab.probe("y", "a", ip, 80, "TCP", PROBE_TIMEOUT)).isFalse();
      world.addPod("x", "d", "node-1", ip);
      sync();
      // programmed: its egress is free, its ingress denied by the policy that selects it
      assertThat(lab.probe("x", "d", world.ip("y/a"), 80, "TCP", PROBE_TIMEOUT)).isTrue();
      assertThat(lab.probe("y", "a", ip, 80, "TCP", PROBE_TIMEOUT)).isFalse();
    } finally {
      lab.removePod("x", "d");
      world.reset();
      sync();
    }
  }

  private void sync() {
    var compiled = world.compile();
    for (Map.Entry<String, NetpolDataplane> e : dataplanes.entrySet()) {
      NetpolDataplane.Report r =
          e.getValue()
              .apply(
                  new NetpolDataplane.State(
                      e.getKey(), List.of(World.podCidr(e.getKey())), world.pods(), compiled));
      assertThat(r.error()).as("apply on %s", e.getKey()).isNull();
    }
  }

  private Truth probeAll(String protocol, int port) throws Exception {
    Truth observed = new Truth(true);
    Map<String, Future<Boolean>> pairs = new LinkedHashMap<>();
    for (String from : Truth.ALL) {
      String[] f = from.split("/");
      for (String to : Truth.ALL) {
        if (to.equals(from)) continue;
        pairs.put(
            from + " " + to,
            probes.submit(
                () -> lab.probe(f[0], f[1], world.ip(to), port, protocol, PROBE_TIMEOUT)));
      }
    }
    for (var e : pairs.entrySet()) {
      String[] ft = e.getKey().split(" ");
      observed.expect(ft[0], ft[1], e.getValue().get());
    }
    return observed;
  }
}
