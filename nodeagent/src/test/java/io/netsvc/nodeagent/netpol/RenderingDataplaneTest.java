package io.netsvc.nodeagent.netpol;

import static io.netsvc.nodeagent.netpol.IptablesActorTest.allowFrom;
import static io.netsvc.nodeagent.netpol.IptablesActorTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import io.netsvc.nodeagent.netpol.model.KubeRouterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dataplane patches change by change; the kernel it leaves is the one a fresh agent writes for
 * the same inputs, and its consistency check finds nothing to repair.
 */
class RenderingDataplaneTest {
  static NetpolDataplane.State state(List<NetpolPod> pods, List<CompiledPolicy> policies) {
    return new NetpolDataplane.State("n1", List.of("10.42.0.0/24"), pods, policies);
  }

  /** The whole state, handed over with changes that (wrongly) name nothing. */
  static NetpolDataplane.State namingNoChange(List<NetpolPod> pods, List<CompiledPolicy> policies) {
    return new NetpolDataplane.State(
        "n1",
        List.of("10.42.0.0/24"),
        pods,
        policies,
        new NetpolDataplane.Changes(Map.of(), Map.of()));
  }

  @Test
  void patchesLeaveTheKernelAFreshAgentWouldWrite() {
    InMemoryBackend kernel = new InMemoryBackend();
    RenderingDataplane dp = new RenderingDataplane(kernel, Set.of(IpFamily.IPV4));
    List<NetpolPod> pods = new ArrayList<>();
    pods.add(pod("web", "n1", "10.42.0.10"));
    pods.add(pod("db", "n1", "10.42.0.11"));
    List<CompiledPolicy> policies = new ArrayList<>(List.of(allowFrom("db", "web", pods)));
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    // a pod starts, a policy comes, a pod goes: each a patch
    pods.add(pod("api", "n1", "10.42.0.12"));
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    policies.add(allowFrom("api", "web", pods));
    NetpolDataplane.Report r = dp.apply(state(pods, policies));
    assertThat(r.error()).isNull();
    assertThat(r.kernelMillis()).isLessThanOrEqualTo(r.millis());
    pods.remove(0);
    assertThat(dp.apply(state(pods, policies)).error()).isNull();

    InMemoryBackend fresh = new InMemoryBackend();
    new RenderingDataplane(fresh, Set.of(IpFamily.IPV4)).apply(state(pods, policies));
    assertThat(kernel.saveFilterTable(IpFamily.IPV4))
        .isEqualTo(fresh.saveFilterTable(IpFamily.IPV4));
    // the stand-in lists sets in the order they were made
    assertThat(kernel.saveSets().lines().sorted().toList())
        .isEqualTo(fresh.saveSets().lines().sorted().toList());
    assertThat(dp.repairInconsistency()).isEmpty();
  }

  @Test
  void aChangeThePartialAppliesMissedIsFoundByTheCheckAndApplied() {
    InMemoryBackend kernel = new InMemoryBackend();
    RenderingDataplane dp = new RenderingDataplane(kernel, Set.of(IpFamily.IPV4));
    List<NetpolPod> pods = new ArrayList<>();
    pods.add(pod("web", "n1", "10.42.0.10"));
    pods.add(pod("db", "n1", "10.42.0.11"));
    List<CompiledPolicy> policies = new ArrayList<>(List.of(allowFrom("db", "web", pods)));
    assertThat(dp.apply(state(pods, policies)).error()).isNull();
    // a policy comes, but the changes handed over (wrongly) name nothing
    policies.add(allowFrom("web", "db", pods));
    NetpolDataplane.State partial = namingNoChange(pods, policies);
    assertThat(dp.apply(partial).error()).isNull();
    assertThat(IptablesActorTest.enforces(kernel, "x/web-from-db")).isFalse();
    // the rendering agrees with itself; the inputs do not agree with the whole state
    assertThat(dp.repairInconsistency(state(pods, policies))).isNotEmpty();
    assertThat(IptablesActorTest.enforces(kernel, "x/web-from-db")).isTrue();
    InMemoryBackend fresh = new InMemoryBackend();
    new RenderingDataplane(fresh, Set.of(IpFamily.IPV4)).apply(state(pods, policies));
    assertThat(kernel.saveFilterTable(IpFamily.IPV4))
        .isEqualTo(fresh.saveFilterTable(IpFamily.IPV4));
    assertThat(dp.repairInconsistency(state(pods, policies))).isEmpty();
  }

  @Test
  void theRulesetIsShownOnDemandAsTextOrASummaryWhenTooLarge() {
    RenderingDataplane dp = new RenderingDataplane(new InMemoryBackend(), Set.of(IpFamily.IPV4));
    assertThat(dp.show()).isEqualTo("# nothing applied yet\n");
    List<NetpolPod> pods = new ArrayList<>();
    pods.add(pod("web", "n1", "10.42.0.10"));
    pods.add(pod("db", "n1", "10.42.0.11"));
    dp.apply(state(pods, List.of(allowFrom("db", "web", pods))));
    assertThat(dp.show())
        .contains("KUBE-ROUTER-FORWARD", "\"x/db-from-web ingress policy\"", "10.42.0.10");

    // a peer set of more members than SHOWN: counted, not printed
    List<NetpolPod> many = new ArrayList<>(pods);
    for (int i = 0; i < RenderingDataplane.SHOWN; i++) {
      String ip = "10.43." + (i / 250) + "." + (i % 250 + 1);
      many.add(
          new NetpolPod(
              "x", "web-" + i, "n2", Map.of("app", "web"), ip, null, List.of(), false, false));
    }
    dp.apply(state(pods, List.of(allowFrom("db", "web", many))));
    assertThat(dp.show()).startsWith("# ").contains("too large to show").doesNotContain("10.43.");
  }

  @Test
  void aMemberSomeoneDeletedIsFoundByTheSetsCountsAndRestoredWithoutListingEveryMember()
      throws Exception {
    InMemoryBackend memory = new InMemoryBackend();
    SaveCounting kernel = new SaveCounting(memory);
    RenderingDataplane dp = new RenderingDataplane(kernel, Set.of(IpFamily.IPV4));
    List<NetpolPod> pods = new ArrayList<>();
    pods.add(pod("web", "n1", "10.42.0.10"));
    pods.add(pod("db", "n1", "10.42.0.11"));
    assertThat(dp.apply(state(pods, List.of(allowFrom("db", "web", pods)))).error()).isNull();
    String sets = memory.saveSets();
    int saves = kernel.saves;
    assertThat(dp.repairDrift()).isFalse();

    // someone deletes the web pod from the policy's source set: db no longer admits web
    String member =
        sets.lines()
            .filter(l -> l.startsWith("add " + KubeRouterNames.SRC_SET_PREFIX))
            .filter(l -> l.contains(" 10.42.0.10 "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(sets));
    String[] words = member.split(" ");
    memory.ipsetRestore("del " + words[1] + " " + words[2] + "\n");
    assertThat(memory.saveSets()).isNotEqualTo(sets);

    assertThat(dp.repairDrift()).isTrue();
    assertThat(memory.saveSets().lines().sorted().toList())
        .isEqualTo(sets.lines().sorted().toList());
    assertThat(dp.repairDrift()).isFalse();
    // the checks that found nothing read the sets' counts, not every member (only the repair,
    // which re-reads the kernel to plan against it, saves the sets)
    assertThat(kernel.saves - saves).isEqualTo(1);
  }

  /** Counts the full member listings ({@code ipset save}) read from a backend. */
  private static final class SaveCounting extends ForwardingBackend {
    int saves;

    SaveCounting(RulesBackend inner) {
      super(inner);
    }

    @Override
    public String saveSets() throws BackendException {
      saves++;
      return super.saveSets();
    }
  }
}
