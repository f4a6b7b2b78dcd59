package io.netsvc.nodeagent.netpol;

import static io.netsvc.nodeagent.netpol.IptablesActorTest.allowFrom;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The agent hands the dataplane only what changed since its last apply ({@link NodeInputs}); after
 * any sequence of such partial applies the kernel holds exactly what a fresh agent writes for the
 * final inputs. Random pods (starting, moving IP, going; on this node and another) and policies
 * (coming, recompiled as their peers change, going), applied every few changes.
 */
class PartialApplyTest {
  static final String NODE = "n1";
  static final List<String> APPS = List.of("web", "db", "api", "cache");

  final Random random = new Random(11);
  final Map<String, NetpolPod> pods = new TreeMap<>(); // every pod of the cluster
  final Map<String, String[]> policies = new TreeMap<>(); // key → {target, peer}
  final Map<String, CompiledPolicy> sent = new TreeMap<>(); // what the NodeActor last sent
  final NodeInputs inputs = new NodeInputs();
  long generation;

  @Test
  void partialAppliesLeaveTheKernelAFreshAgentWouldWrite() {
    InMemoryBackend kernel = new InMemoryBackend();
    RenderingDataplane dp = new RenderingDataplane(kernel, Set.of(IpFamily.IPV4));
    int partial = 0;
    for (int step = 0; step < 300; step++) {
      change();
      if (random.nextInt(3) > 0) continue;
      NetpolDataplane.State s = inputs.state(NODE, List.of("10.42.0.0/24"));
      if (s.changes() != null) partial++;
      assertThat(dp.apply(s).error()).isNull();
    }
    NetpolDataplane.State last = inputs.state(NODE, List.of("10.42.0.0/24"));
    assertThat(dp.apply(last).error()).isNull();
    assertThat(partial).as("applies given only their changes").isGreaterThan(50);
    assertThat(last.policies()).as("the run ends with policies in force").isNotEmpty();

    InMemoryBackend fresh = new InMemoryBackend();
    NetpolDataplane.State whole =
        new NetpolDataplane.State(NODE, last.podCidrs(), last.localPods(), last.policies());
    assertThat(new RenderingDataplane(fresh, Set.of(IpFamily.IPV4)).apply(whole).error()).isNull();
    assertThat(kernel.saveFilterTable(IpFamily.IPV4))
        .isEqualTo(fresh.saveFilterTable(IpFamily.IPV4));
    // the stand-in lists sets in the order they were made
    assertThat(kernel.saveSets().lines().sorted().toList())
        .isEqualTo(fresh.saveSets().lines().sorted().toList());
    assertThat(dp.repairInconsistency(whole)).isEmpty();
  }

  /** One random change of the cluster, told to the agent's inputs as its NodeActor would. */
  private void change() {
    int what = random.nextInt(10);
    if (what < 5) {
      String name = APPS.get(random.nextInt(APPS.size())) + "-" + random.nextInt(4);
      String key = "x/" + name;
      if (pods.containsKey(key) && random.nextInt(3) == 0) {
        NetpolPod gone = pods.remove(key);
        if (gone.nodeName().equals(NODE)) local(key, null);
      } else {
        String node = random.nextInt(3) == 0 ? "n2" : NODE;
        String app = name.substring(0, name.indexOf('-'));
        String ip = "10.42." + (node.equals(NODE) ? 0 : 1) + "." + (10 + random.nextInt(40));
        NetpolPod was = pods.get(key);
        NetpolPod now =
            new NetpolPod("x", name, node, Map.of("app", app), ip, null, List.of(), false, false);
        pods.put(key, now);
        if (node.equals(NODE)) local(key, now);
        else if (was != null && was.nodeName().equals(NODE)) local(key, null);
      }
    } else if (what < 8) {
      String target = APPS.get(random.nextInt(APPS.size()));
      String peer = APPS.get(random.nextInt(APPS.size()));
      policies.put("x/" + target + "-from-" + peer, new String[] {target, peer});
    } else if (!policies.isEmpty()) {
      List<String> keys = new ArrayList<>(policies.keySet());
      policies.remove(keys.get(random.nextInt(keys.size())));
    }
    recompile();
  }

  private void local(String key, NetpolPod pod) {
    inputs.pod(new AgentProtocol.LocalPod(key, pod));
  }

  /** Sends the fragments that differ from what was sent (new, recompiled, removed). */
  private void recompile() {
    List<NetpolPod> all = List.copyOf(pods.values());
    for (Map.Entry<String, String[]> e : policies.entrySet()) {
      CompiledPolicy p = allowFrom(e.getValue()[0], e.getValue()[1], all);
      if (p.equals(sent.get(e.getKey()))) continue;
      sent.put(e.getKey(), p);
      inputs.fragment(new AgentProtocol.Fragment(e.getKey(), ++generation, p));
    }
    for (String key : List.copyOf(sent.keySet())) {
      if (policies.containsKey(key)) continue;
      sent.remove(key);
      inputs.fragment(new AgentProtocol.Fragment(key, ++generation, null));
    }
  }
}
