package io.netsvc.nodeagent.netpol;

import static io.netsvc.nodeagent.netpol.IptablesActorTest.allowFrom;
import static io.netsvc.nodeagent.netpol.IptablesActorTest.pod;
import static io.netsvc.nodeagent.netpol.RenderingDataplaneTest.namingNoChange;
import static io.netsvc.nodeagent.netpol.RenderingDataplaneTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checks' probes, which an agent runs on another thread while it applies: each compares with
 * the ruleset (and inputs) as they were when it was taken, reads or renders without writing, and
 * leaves the repair to the dataplane.
 */
class DataplaneProbesTest {
  final InMemoryBackend kernel = new InMemoryBackend();
  final RenderingDataplane dp = new RenderingDataplane(kernel, Set.of(IpFamily.IPV4));
  final List<NetpolPod> pods =
      new ArrayList<>(List.of(pod("web", "n1", "10.42.0.10"), pod("db", "n1", "10.42.0.11")));
  final List<CompiledPolicy> policies = new ArrayList<>(List.of(allowFrom("db", "web", pods)));

  @Test
  void aDriftProbeReadsTheKernelAndRepairsNothing() throws Exception {
    assertThat(dp.driftProbe()).as("nothing applied yet").isNull();
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    assertThat(dp.driftProbe().drifted()).isFalse();

    // someone empties the policy's source set
    String applied = kernel.saveFilterTable(IpFamily.IPV4);
    String sets = kernel.saveSets();
    String set = sets.lines().filter(l -> l.startsWith("add ")).findFirst().orElseThrow();
    kernel.ipsetRestore("flush " + set.split(" ")[1] + "\n");
    int writes = kernel.successfulRestores();
    assertThat(dp.driftProbe().drifted()).isTrue();
    assertThat(kernel.successfulRestores()).as("the probe only reads").isEqualTo(writes);

    assertThat(dp.restoreDrifted()).isTrue();
    assertThat(kernel.saveSets().lines().sorted().toList())
        .isEqualTo(sets.lines().sorted().toList());
    assertThat(kernel.saveFilterTable(IpFamily.IPV4)).isEqualTo(applied);
    assertThat(dp.driftProbe().drifted()).isFalse();
  }

  @Test
  void aConsistencyProbeComparesWhatItWasTakenOfEvenAfterAnotherApply() {
    assertThat(dp.consistencyProbe(state(pods, policies))).as("nothing applied yet").isNull();
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    NetpolDataplane.ConsistencyProbe before = dp.consistencyProbe(state(pods, policies));

    // an apply while the probe waits for its thread: a policy comes
    policies.add(allowFrom("web", "db", pods));
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    assertThat(before.differences()).isEmpty();
    assertThat(dp.consistencyProbe(state(pods, policies)).differences()).isEmpty();
    assertThat(dp.consistencyProbe(null).differences()).as("the kept inputs").isEmpty();
  }

  @Test
  void aConsistencyProbeFindsInputsThePartialAppliesMissedAndTheRepairTakesThem() {
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    // a policy comes, but the changes handed over (wrongly) name nothing
    policies.add(allowFrom("web", "db", pods));
    NetpolDataplane.State partial = namingNoChange(pods, policies);
    assertThat(dp.apply(partial).error()).isNull();
    int writes = kernel.successfulRestores();
    assertThat(dp.consistencyProbe(state(pods, policies)).differences()).isNotEmpty();
    assertThat(kernel.successfulRestores()).as("the probe writes nothing").isEqualTo(writes);
    assertThat(IptablesActorTest.enforces(kernel, "x/web-from-db")).isFalse();
    assertThat(dp.repairInconsistency(state(pods, policies))).isNotEmpty();
    assertThat(IptablesActorTest.enforces(kernel, "x/web-from-db")).isTrue();
    assertThat(dp.consistencyProbe(state(pods, policies)).differences()).isEmpty();
  }
}
