package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.ModelCluster.block;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.nsPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.podPeer;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.policy;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.rule;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.sel;
import static io.netsvc.nodeagent.netpol.model.ModelCluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ruleset patched change by change equals a fresh render of the same inputs after every change
 * of a random history (pods coming, going, relabelled, readdressed; policies added, changed,
 * removed), and its patch plans bring a strict kernel stand-in exactly there.
 */
class LiveRulesetTest {
  static final NetpolNode NODE = ModelCluster.N1;
  static final List<String> IN = List.of("Ingress");
  static final List<String> OUT = List.of("Egress");
  static final List<String> BOTH = List.of("Ingress", "Egress");
  static final String[] APPS = {"web", "db", "api"};

  /**
   * A random cluster and its history; policies keep their object until they compile differently.
   */
  static final class World {
    final Random rnd;
    final ModelCluster cluster =
        new ModelCluster().namespace("a", "team", "x").namespace("b", "team", "y");
    final Map<String, NetpolPod> pods = new TreeMap<>();
    final Map<String, CompiledPolicy> compiled = new LinkedHashMap<>();
    // the last pod removed, which may come back as it was (a restarted sandbox, a flapping node)
    NetpolPod gone;

    World(long seed) {
      rnd = new Random(seed);
      for (int i = 0; i < 12; i++) putPod("p" + i);
      for (int i = 0; i < 5; i++) putPolicy("np" + i);
    }

    void putPod(String name) {
      String ns = rnd.nextBoolean() ? "a" : "b";
      boolean local = rnd.nextInt(3) > 0;
      // a small pool, so IPs are reused; now and then one outside the node's pod CIDR
      int host = 10 + rnd.nextInt(20);
      String v4 =
          rnd.nextInt(10) == 0 ? "192.168.7." + host : (local ? "10.42.0." : "10.42.1.") + host;
      String v6 = rnd.nextInt(4) == 0 ? null : (local ? "fd00:42::" : "fd00:42:1::") + host;
      List<NamedPort> ports = new ArrayList<>();
      if (rnd.nextBoolean()) ports.add(new NamedPort("http", "TCP", 8080 + rnd.nextInt(2)));
      if (rnd.nextInt(3) == 0) ports.add(new NamedPort("dns", "UDP", 53));
      pods.values().removeIf(p -> p.namespace().equals(ns) && p.name().equals(name));
      pods.remove(ns + "/" + name);
      pods.put(
          ns + "/" + name,
          new NetpolPod(
              ns,
              name,
              local ? "n1" : "n2",
              Map.of("app", APPS[rnd.nextInt(APPS.length)]),
              rnd.nextInt(15) == 0 ? null : v4,
              v6,
              ports,
              rnd.nextInt(20) == 0,
              rnd.nextInt(20) == 0));
    }

    void putPolicy(String name) {
      String ns = rnd.nextBoolean() ? "a" : "b";
      var target = rnd.nextInt(4) == 0 ? sel() : sel("app", APPS[rnd.nextInt(APPS.length)]);
      String peer = APPS[rnd.nextInt(APPS.length)];
      NetworkPolicyInfo p =
          switch (rnd.nextInt(6)) {
            case 0 -> policy(ns, name, target, IN, null, null);
            case 1 ->
                policy(
                    ns,
                    name,
                    target,
                    IN,
                    List.of(rule(List.of(podPeer("app", peer)), tcp("http"))),
                    null);
            case 2 ->
                policy(
                    ns,
                    name,
                    target,
                    OUT,
                    null,
                    List.of(rule(List.of(nsPeer("team", "y")), new Port("UDP", "dns", null))));
            case 3 ->
                policy(
                    ns,
                    name,
                    target,
                    IN,
                    List.of(rule(List.of(block("10.0.0.0/8", "10.42.1.0/24")), tcp("5432"))),
                    null);
            case 4 ->
                policy(
                    ns,
                    name,
                    target,
                    BOTH,
                    List.of(rule(List.of(), tcp("http"))),
                    List.of(rule(List.of(podPeer("app", peer)), tcp("80"))));
            default ->
                policy(
                    ns,
                    name,
                    target,
                    IN,
                    List.of(rule(List.of(podPeer("app", peer), nsPeer("team", "x")))),
                    null);
          };
      cluster.policies.keySet().removeIf(k -> k.endsWith("/" + name));
      cluster.policy(p);
    }

    /**
     * Compiles every policy; an unchanged result keeps its object, as an agent receives it. Some
     * policies keep their old fragment for now (it is still on its way): the agent then holds
     * fragments compiled against other pods than it has.
     */
    List<CompiledPolicy> compile() {
      ClusterView view = ClusterView.of(cluster.namespaces, List.copyOf(pods.values()));
      Map<String, CompiledPolicy> next = new LinkedHashMap<>();
      for (NetworkPolicyInfo p : cluster.policies.values()) {
        CompiledPolicy old = compiled.get(p.key());
        if (old != null && rnd.nextInt(3) == 0) {
          next.put(p.key(), old);
          continue;
        }
        CompiledPolicy c = PolicyCompiler.compile(p, view);
        next.put(c.key(), c.equals(old) ? old : c);
      }
      compiled.clear();
      compiled.putAll(next);
      return List.copyOf(next.values());
    }

    /** One random change. */
    void step() {
      switch (rnd.nextInt(6)) {
        case 0, 1 -> putPod("p" + rnd.nextInt(16));
        case 2 -> {
          if (!pods.isEmpty()) {
            List<String> keys = List.copyOf(pods.keySet());
            gone = pods.remove(keys.get(rnd.nextInt(keys.size())));
          }
        }
        case 5 -> {
          if (gone != null) pods.put(gone.key(), gone);
        }
        case 3 -> putPolicy("np" + rnd.nextInt(8));
        default -> {
          if (!cluster.policies.isEmpty()) {
            List<String> keys = List.copyOf(cluster.policies.keySet());
            cluster.policies.remove(keys.get(rnd.nextInt(keys.size())));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void everyPatchEqualsAFreshRenderAndTheKernelEndsThere(long seed) {
    World w = new World(seed);
    List<CompiledPolicy> policies = w.compile();
    LiveRuleset live = LiveRuleset.of(NODE, w.pods.values(), policies);
    Kernel k = Shop.hostKernel();
    Shop.applyAndCheck(k, Ruleset.EMPTY, live.ruleset(), true);
    for (int i = 0; i < 150; i++) {
      w.step();
      policies = w.compile();
      LiveRuleset.Patch patch = live.update(List.copyOf(w.pods.values()), policies);
      Ruleset fresh = RulesetRenderer.render(NodeRuleset.of(NODE, w.pods.values(), policies));
      assertThat(LiveRuleset.differences(live.ruleset(), fresh)).as("step %d", i).isEmpty();
      assertThat(live.counts()).isEqualTo(fresh.counts());
      k.apply(RestorePlan.patch(patch.before(), patch.after(), live.families()));
      for (IpFamily f : NODE.families()) {
        assertThat(k.ours(f)).as("kernel, step %d", i).isEqualTo(fresh.table(f));
      }
    }
    assertThat(LiveRuleset.of(NODE, w.pods.values(), policies).ruleset()).isEqualTo(live.ruleset());
  }

  @Test
  void aPodStartingRerendersOnlyThePoliciesThatSelectItAndTouchesItsOwnParts() {
    ModelCluster cluster = Shop.shop();
    for (int i = 0; i < 50; i++) {
      cluster.policy(
          policy(
              "shop",
              "other-" + i,
              sel("app", "other" + i),
              IN,
              List.of(rule(List.of(podPeer("app", "web")), tcp("80"))),
              null));
    }
    List<CompiledPolicy> policies = cluster.compiled();
    LiveRuleset live = LiveRuleset.of(NODE, cluster.pods, policies);
    cluster.pod("shop", "new", "n1", "10.42.0.250", "app=db");
    // the same policy objects: compiling again would change the peer sets of web-out
    LiveRuleset.Patch patch = live.update(cluster.pods, policies);

    assertThat(patch.policies()).isZero(); // deny-all and db-from-web already have chains
    assertThat(patch.pods()).isEqualTo(1);
    String chain = Names.podChain("shop", "new");
    for (IpFamily f : NODE.families()) {
      assertThat(patch.after().table(f).chains().keySet())
          .containsExactlyInAnyOrder(
              chain, "KUBE-ROUTER-INPUT", "KUBE-ROUTER-FORWARD", "KUBE-ROUTER-OUTPUT");
      assertThat(patch.after().table(f).sets().keySet()).containsExactly(Names.localPodsSet(f));
    }
    assertThat(LiveRuleset.differences(live.ruleset(), live.fresh())).isEmpty();
  }

  @Test
  void aPodBackBeforeItsPolicyIsRecompiledReturnsToTheNamedPortSet() {
    ModelCluster cluster = new ModelCluster().namespace("shop");
    NamedPort http = new NamedPort("http", "TCP", 8080);
    cluster.pod("shop", "web1", "n1", "10.42.0.20", "app=web", http);
    cluster.pod("shop", "web2", "n1", "10.42.0.21", "app=web", http);
    cluster.policy(
        policy(
            "shop",
            "web-http",
            sel("app", "web"),
            IN,
            List.of(rule(List.of(), tcp("http"))),
            null));
    // the fragment stays as compiled with both pods: the pod events reach the agent first
    List<CompiledPolicy> policies = cluster.compiled();
    List<NetpolPod> both = List.copyOf(cluster.pods);
    LiveRuleset live = LiveRuleset.of(NODE, both, policies);
    String set =
        Names.namedPortSet(
            "shop",
            "web-http",
            io.netsvc.actors.netpol.model.Direction.INGRESS,
            0,
            "tcp",
            8080,
            IpFamily.IPV4);

    cluster.remove("shop", "web2");
    live.update(cluster.pods, policies);
    assertThat(live.sets(IpFamily.IPV4).get(set).members()).containsExactly("10.42.0.20");
    LiveRuleset.Patch back = live.update(both, policies);

    assertThat(live.sets(IpFamily.IPV4).get(set).members())
        .containsExactly("10.42.0.20", "10.42.0.21");
    assertThat(back.after().table(IpFamily.IPV4).sets()).containsKey(set);
    assertThat(LiveRuleset.differences(live.ruleset(), live.fresh())).isEmpty();
  }

  @Test
  void differencesNameWhatDiffers() {
    ModelCluster cluster = Shop.shop();
    Ruleset a = cluster.render(NODE);
    cluster.pod("shop", "new", "n1", "10.42.0.250", "app=db");
    Ruleset b = cluster.render(NODE);
    assertThat(LiveRuleset.differences(a, a)).isEmpty();
    assertThat(LiveRuleset.differences(a, b))
        .contains("IPV4 chain " + Names.podChain("shop", "new"), "IPV4 set kube-router-local-pods");
  }
}
