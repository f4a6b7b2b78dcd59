package io.netsvc.nodeagent.netpol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code kill -9} of a node's agent process ({@code netsvc sim --dataplane=netns
 * --agents=process}): the node's rules stay in its kernel and keep denying while no agent runs and
 * while the restarted agent starts (it must not flush them before it holds the full state); a
 * policy created during the outage reaches the node once the agent is back; and the restarted agent
 * still removes rules when their policy is deleted. Real packets between pod namespaces throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentKillChaosIT {
  AgentLab lab;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(LabSupport.usable(), LabSupport.reason());
    lab = AgentLab.start("netsvc-agent-kill");
  }

  @AfterAll
  void stop() {
    if (lab != null) lab.close();
  }

  @Test
  void rulesOutliveTheAgentAndItsRestartCatchesUp() throws Exception {
    // x/a and x/c live on node-1 (World's layout); y/b on node-2 probes them across node-1
    String node = new World().node("x/a");
    assertThat(new World().node("x/c")).isEqualTo(node);
    lab.world.apply(Step.apply(Policies.ingress("x", "deny-a", Policies.pod("a"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> !lab.world.reaches("y/b", "x/a", "TCP", 80));
    assertThat(lab.world.reaches("y/b", "x/c", "TCP", 80)).isTrue();

    long before = lab.sim.agentPid(node);
    ProcessHandle.of(before).orElseThrow().destroyForcibly();
    // created while the node has no agent: only a restarted agent can program it
    lab.world.apply(Step.apply(Policies.ingress("x", "deny-c", Policies.pod("c"))));

    List<String> leaks = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (lab.world.reaches("y/b", "x/a", "TCP", 80)) leaks.add("x/a reachable");
              return !lab.world.reaches("y/b", "x/c", "TCP", 80);
            });
    // the agent came back as a new process, and the rules it kept were never opened meanwhile
    assertThat(lab.sim.agentPid(node)).isNotEqualTo(before);
    assertThat(leaks).as("probes of x/a while the agent was down or starting").isEmpty();
    assertThat(lab.world.reaches("y/b", "x/a", "TCP", 80)).isFalse();

    lab.client.network().v1().networkPolicies().inNamespace("x").withName("deny-a").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> lab.world.reaches("y/b", "x/a", "TCP", 80));
    assertThat(lab.world.reaches("y/b", "x/c", "TCP", 80)).isFalse();
  }
}
