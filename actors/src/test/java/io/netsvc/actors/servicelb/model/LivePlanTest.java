package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A plan kept current pod by pod and slice by slice says what a plan computed from scratch says:
 * random worlds (nodes with shared, dual-stack, external and malformed addresses; grants, refusals
 * and silent ledgers; Cluster and Local Services of each family order) and random events.
 */
class LivePlanTest {
  private static final RenderOptions OPTS =
      new RenderOptions("kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  private static final List<List<String>> FAMILIES =
      List.of(List.of("IPv4"), List.of("IPv6"), List.of("IPv4", "IPv6"), List.of("IPv6", "IPv4"));

  /** One random world and what happened in it so far. */
  private static final class World {
    final Random rnd;
    final ServiceInfo svc;
    final List<NodeInfo> candidates = new ArrayList<>();
    final Map<String, Boolean> decisions = new TreeMap<>();
    final Map<String, PodInfo> pods = new TreeMap<>();
    final Map<String, List<String>> slices = new TreeMap<>();
    final int nodes;

    World(long seed) {
      rnd = new Random(seed);
      nodes = 1 + rnd.nextInt(10);
      svc =
          Fixtures.svc()
              .families(FAMILIES.get(rnd.nextInt(FAMILIES.size())).toArray(String[]::new))
              .etp(rnd.nextBoolean() ? "Local" : "Cluster")
              .build();
      for (int i = 0; i < nodes; i++) {
        List<String> addresses = new ArrayList<>();
        // few distinct values: nodes share addresses, so one going away may leave it listed
        if (rnd.nextInt(4) > 0) addresses.add("InternalIP=10.0.0." + rnd.nextInt(6));
        if (rnd.nextInt(3) == 0) addresses.add("InternalIP=fd00::" + rnd.nextInt(4));
        if (rnd.nextInt(5) == 0) addresses.add("ExternalIP=203.0.113." + rnd.nextInt(3));
        if (rnd.nextInt(8) == 0) addresses.add("InternalIP=not-an-ip");
        candidates.add(Fixtures.node("n" + i, addresses.toArray(String[]::new)));
        int d = rnd.nextInt(10);
        if (d < 7) decisions.put("n" + i, true);
        else if (d < 9) decisions.put("n" + i, false);
      }
      for (int i = rnd.nextInt(4); i > 0; i--) event();
    }

    LbPlan.Inputs inputs() {
      Set<String> endpoints = new TreeSet<>();
      slices.values().forEach(endpoints::addAll);
      return new LbPlan.Inputs(
          svc, OPTS, false, candidates, decisions, pods.values(), endpoints, List.of());
    }

    String node() {
      return rnd.nextInt(12) == 0 ? "elsewhere" : "n" + rnd.nextInt(nodes);
    }

    /** Changes one pod or slice at random; tells {@code live} unless it is null. */
    void event(LivePlan live) {
      int kind = rnd.nextInt(10);
      if (kind < 6) {
        String name = "svclb-" + rnd.nextInt(nodes * 2);
        PodInfo after =
            kind == 0
                ? null
                : pod(name, node(), rnd.nextInt(3) > 0, rnd.nextInt(6) == 0, rnd.nextInt(8) > 0);
        PodInfo before = after == null ? pods.remove(name) : pods.put(name, after);
        if (live != null) live.pod(before, after);
      } else {
        String name = "slice-" + rnd.nextInt(3);
        List<String> after = null;
        if (kind > 6) {
          after = new ArrayList<>();
          for (int i = rnd.nextInt(4); i > 0; i--) after.add(node());
        }
        List<String> before = after == null ? slices.remove(name) : slices.put(name, after);
        if (live != null) live.slice(before, after);
      }
    }

    void event() {
      event(null);
    }
  }

  static PodInfo pod(String name, String node, boolean ready, boolean deleting, boolean hasIP) {
    String ip = hasIP ? "10.42.0." + Math.abs(name.hashCode() % 250) : null;
    PodInfo p = Fixtures.svclbPod(node, ready, deleting, ip);
    return new PodInfo(
        p.namespace(),
        name,
        p.uid(),
        node,
        p.labels(),
        ip,
        p.podIPs(),
        p.phase(),
        ready,
        deleting,
        p.hostPorts());
  }

  @Test
  void podAndSliceEventsGiveWhatAFullPlanGives() {
    for (long seed = 0; seed < 400; seed++) {
      World w = new World(seed);
      LivePlan live = new LivePlan(w.inputs(), w.slices.values());
      List<IngressInfo> shown = live.ingress();
      long losses = live.losses();
      for (int step = 0; step < 60; step++) {
        w.event(live);
        LbPlan full = LbPlan.compute(w.inputs());
        String at = "seed " + seed + " step " + step;
        List<IngressInfo> now = live.ingress();
        assertThat(now).as(at).isEqualTo(full.ingress());
        assertThat(live.advertises()).as(at).isEqualTo(!full.ingress().isEmpty());
        assertThat(live.settled()).as(at).isEqualTo(full.settled());
        assertThat(live.pending()).as(at).isEqualTo(full.pending());
        assertThat(live.pendingText()).as(at).isEqualTo(full.pendingReason());
        if (now.equals(shown)) {
          assertThat(now).as(at + ": an unchanged list is the same object").isSameAs(shown);
        }
        if (!now.containsAll(shown)) {
          assertThat(live.losses()).as(at + ": an address went away").isGreaterThan(losses);
        }
        shown = now;
        losses = live.losses();
      }
    }
  }

  @Test
  void aPlanBuiltFromTheEventsSoFarIsTheFullPlan() {
    for (long seed = 1000; seed < 1200; seed++) {
      World w = new World(seed);
      LbPlan full = LbPlan.compute(w.inputs());
      LivePlan live = new LivePlan(w.inputs(), w.slices.values());
      assertThat(live.plan()).isEqualTo(full);
      assertThat(live.ingress()).isEqualTo(full.ingress());
      assertThat(live.settled()).isEqualTo(full.settled());
      assertThat(live.pendingText()).isEqualTo(full.pendingReason());
    }
  }

  @Test
  void beforeTheNodeListNothingIsCountedAndNothingSettles() {
    World w = new World(7);
    LbPlan.Inputs in = w.inputs();
    LivePlan live =
        new LivePlan(
            new LbPlan.Inputs(
                in.svc(), OPTS, false, null, in.decisions(), in.svclbPods(), Set.of(), List.of()),
            List.of());
    live.pod(null, pod("p", "n0", true, false, true));
    assertThat(live.ingress()).isEmpty();
    assertThat(live.settled()).isFalse();
    assertThat(live.pending()).isEqualTo(PendingReason.NODE_LIST);
  }
}
