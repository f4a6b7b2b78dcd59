package io.netsvc.nodeagent.netpol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.chaos.Burst;
import io.netsvc.chaos.Invariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production agent path with real packets. The conformance cases through it: {@code netsvc sim
 * --dataplane=netns --agents=process}, where each node's agent is a separate {@code netsvc agent}
 * process inside the node's network namespace, on the system backend, joined to the members over
 * the lab's fabric. Every step is an API call a user would make; every probe is a real packet
 * between pod namespaces. CI runs a representative set; {@code scripts/conformance-agents} runs
 * them all. Then the chaos case: {@code kill -9} of a node's agent. Both share one lab (its start
 * is the slow part).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentProcessChaosIT {
  /** One case per mechanism: selectors, ports, named ports, updates, deletion, ipBlock, UDP. */
  static final Set<Integer> REPRESENTATIVE = Set.of(1, 2, 10, 14, 17, 21, 22, 33, 35, 101, 207);

  /**
   * D9's policy has an invalid CIDR: kube-apiserver (and the sim's API) refuse it, so it never
   * reaches netsvc through an API; ConformanceIT checks it on the dataplane.
   */
  static final Set<Integer> NOT_THROUGH_AN_API = Set.of(209);

  static final Duration WITHIN = Duration.ofSeconds(30);

  AgentLab lab;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(LabSupport.usable(), LabSupport.reason());
    lab = AgentLab.start("netsvc-agent-processes");
  }

  @AfterAll
  void stop() {
    if (lab != null) lab.close();
  }

  static Stream<UpstreamCases.Case> cases() {
    boolean all = Boolean.getBoolean("netsvc.conformance.all");
    return Stream.concat(UpstreamCases.all().stream(), RegressionCases.all().stream())
        .filter(c -> !NOT_THROUGH_AN_API.contains(c.number()))
        .filter(c -> all || REPRESENTATIVE.contains(c.number()));
  }

  @ParameterizedTest(name = "{0}")
  @Order(1)
  @MethodSource("cases")
  void reachabilityMatchesTheSpec(UpstreamCases.Case c) throws Exception {
    lab.world.reset(WITHIN);
    int stepNo = 0;
    for (Step step : c.steps()) {
      stepNo++;
      if (step instanceof Step.Probe probe) {
        Truth observed =
            lab.world.awaitMatrix(probe.protocol(), probe.port(), probe.expected(), WITHIN);
        assertThat(probe.expected().differences(observed))
            .as(
                "case %s, step %d (%s %d); observed:%n%s",
                c, stepNo, probe.protocol(), probe.port(), observed)
            .isEmpty();
      } else {
        lab.world.apply(step);
      }
    }
  }

  /**
   * {@code kill -9} of a node's agent process: the node's rules stay in its kernel and keep denying
   * while no agent runs and while the restarted agent starts (it must not flush them before it
   * holds the full state); a policy created during the outage reaches the node once the agent is
   * back; and the restarted agent still removes rules when their policy is deleted. LoadBalancer
   * Services created and deleted during the outage end with exactly their K3s ingress, and no
   * Service loses it. Last: it kills an agent.
   */
  @Test
  @Order(2)
  void rulesOutliveAKilledAgentAndItsRestartCatchesUp() throws Exception {
    lab.world.reset(WITHIN);
    // x/a and x/c live on node-1 (World's layout); y/b on node-2 probes them across node-1
    String node = new World().node("x/a");
    assertThat(new World().node("x/c")).isEqualTo(node);
    lab.world.apply(Step.apply(Policies.ingress("x", "deny-a", Policies.pod("a"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> !lab.world.reaches("y/b", "x/a", "TCP", 80));
    assertThat(lab.world.reaches("y/b", "x/c", "TCP", 80)).isTrue();

    var services = lab.client.services().inNamespace("x");
    services.resource(Burst.lb("x", "web-0", 8080)).create();
    // serving before the kill: its ingress written (the invariants alone also hold before that)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasIngress(services, "web-0") && Invariants.violations(lab.client).isEmpty());

    long before = lab.sim.agentPid(node);
    ProcessHandle.of(before).orElseThrow().destroyForcibly();
    // created while the node has no agent: only a restarted agent can program it
    lab.world.apply(Step.apply(Policies.ingress("x", "deny-c", Policies.pod("c"))));
    for (int i = 1; i <= 3; i++) services.resource(Burst.lb("x", "web-" + i, 8080 + i)).create();
    services.withName("web-1").delete();

    List<String> leaks = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (lab.world.reaches("y/b", "x/a", "TCP", 80)) leaks.add("x/a reachable");
              if (!hasIngress(services, "web-0")) leaks.add("web-0 without ingress");
              return !lab.world.reaches("y/b", "x/c", "TCP", 80);
            });
    // the agent came back as a new process, and the rules it kept were never opened meanwhile
    assertThat(lab.sim.agentPid(node)).isNotEqualTo(before);
    assertThat(leaks).as("what was seen while the agent was down or starting").isEmpty();
    assertThat(lab.world.reaches("y/b", "x/a", "TCP", 80)).isFalse();
    assertThat(Invariants.awaitHeld(WITHIN, () -> Invariants.violations(lab.client), () -> true))
        .as("LoadBalancer Services after the agent's restart")
        .isEmpty();
    assertThat(services.withName("web-0").get().getStatus().getLoadBalancer().getIngress())
        .as("web-0, created before the kill")
        .hasSize(World.NODES.size());

    lab.client.network().v1().networkPolicies().inNamespace("x").withName("deny-a").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> lab.world.reaches("y/b", "x/a", "TCP", 80));
    assertThat(lab.world.reaches("y/b", "x/c", "TCP", 80)).isFalse();
  }

  private static boolean hasIngress(
      io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
              io.fabric8.kubernetes.api.model.Service,
              io.fabric8.kubernetes.api.model.ServiceList,
              io.fabric8.kubernetes.client.dsl.ServiceResource<
                  io.fabric8.kubernetes.api.model.Service>>
          services,
      String name) {
    var svc = services.withName(name).get();
    return svc != null
        && svc.getStatus() != null
        && svc.getStatus().getLoadBalancer() != null
        && svc.getStatus().getLoadBalancer().getIngress() != null
        && !svc.getStatus().getLoadBalancer().getIngress().isEmpty();
  }
}
