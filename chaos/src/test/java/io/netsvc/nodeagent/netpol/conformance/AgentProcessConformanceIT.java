package io.netsvc.nodeagent.netpol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance cases through the production agent path: {@code netsvc sim --dataplane=netns
 * --agents=process}, where each node's agent is a separate {@code netsvc agent} process inside the
 * node's network namespace, on the system backend, joined to the members over the lab's fabric.
 * Every step is an API call a user would make; every probe is a real packet between pod namespaces.
 * CI runs a representative set; {@code scripts/conformance-agents} runs them all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentProcessConformanceIT {
  /** One case per mechanism: selectors, ports, named ports, updates, deletion, ipBlock, UDP. */
  static final Set<Integer> REPRESENTATIVE = Set.of(1, 2, 10, 14, 17, 21, 22, 33, 35, 101, 207);

  static final Duration WITHIN = Duration.ofSeconds(30);

  AgentLab lab;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(LabSupport.usable(), LabSupport.reason());
    lab = AgentLab.start("netsvc-agent-conformance");
  }

  @AfterAll
  void stop() {
    if (lab != null) lab.close();
  }

  static Stream<UpstreamCases.Case> cases() {
    boolean all = Boolean.getBoolean("netsvc.conformance.all");
    return Stream.concat(UpstreamCases.all().stream(), RegressionCases.all().stream())
        .filter(c -> all || REPRESENTATIVE.contains(c.number()));
  }

  @ParameterizedTest(name = "{0}")
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
}
