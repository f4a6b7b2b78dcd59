package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link LbPlan} kept current as svclb pods and EndpointSlices change, without recomputing it:
 * per granted node the number of its Ready svclb pods and Ready endpoints, and per address the
 * number of advertised nodes that have it. A pod or slice event costs O(log N) (O(k log N) for a
 * slice of k endpoints) instead of the whole plan's O(N); the ingress list is built only when asked
 * for after an address changed, and until one changes again the same list object is returned, so a
 * writer compares it with what it wrote at no cost.
 *
 * <p>Equal to {@link LbPlan#compute} from the same inputs in {@link #ingress}, {@link #settled} and
 * {@link #pending}; the plan's eligible, granted and undecided nodes and its DaemonSet are fixed
 * for its life (they depend on no pod or endpoint). Not thread-safe: one actor's state.
 */
public final class LivePlan {
  private final LbPlan plan;
  private final LbPlan.Pending waiting;
  private final ServiceInfo svc;
  private final boolean local;

  /** The plan has nodes to count on (it is valid and the pool has answered). */
  private final boolean tracked;

  /** The granted nodes: only their pods and endpoints count. */
  private final Map<String, NodeInfo> granted = new HashMap<>();

  private final Map<String, Integer> readyPods = new HashMap<>();
  private final Map<String, Integer> endpoints = new HashMap<>();
  private final Addresses external = new Addresses();
  private final Addresses internal = new Addresses();
  private int readyNodes;
  private long losses;
  private List<IngressInfo> ingress = List.of();

  /** An address came or went since {@link #ingress} was built. */
  private boolean stale = true;

  /**
   * @param slices the nodes with a Ready endpoint, one list per EndpointSlice (as given to {@link
   *     #slice} later)
   */
  public LivePlan(LbPlan.Inputs in, Collection<List<String>> slices) {
    this.plan = LbPlan.compute(in);
    this.waiting = LbPlan.waiting(in, plan);
    this.svc = in.svc();
    this.local = svc.requestsOnlyLocalTraffic();
    this.tracked = in.candidates() != null && plan.problems().isEmpty();
    if (tracked) {
      for (NodeInfo n : in.candidates()) {
        if (plan.granted().contains(n.name())) granted.put(n.name(), n);
      }
    }
    for (PodInfo p : in.svclbPods()) pod(null, p);
    for (List<String> s : slices) slice(null, s);
  }

  /** The plan this was computed as; its ingress, settled and pending are those of the start. */
  public LbPlan plan() {
    return plan;
  }

  /** A svclb pod changed from {@code before} to {@code after} (either null: it was or is none). */
  public void pod(PodInfo before, PodInfo after) {
    String was = LbPlan.readyOn(before);
    String is = LbPlan.readyOn(after);
    if (was != null && was.equals(is)) return;
    if (was != null) change(was, readyPods, -1);
    if (is != null) change(is, readyPods, 1);
  }

  /** An EndpointSlice's nodes with a Ready endpoint changed (either null: it was or is none). */
  public void slice(List<String> before, List<String> after) {
    if (!local || (before != null && before.equals(after))) return;
    if (after != null) after.forEach(n -> change(n, endpoints, 1));
    if (before != null) before.forEach(n -> change(n, endpoints, -1));
  }

  /** The status to advertise; the same object until an address comes or goes. */
  public List<IngressInfo> ingress() {
    if (stale) {
      List<IngressInfo> now =
          IngressCalculator.fromAddresses(
              svc, external.isEmpty() ? internal.keys() : external.keys());
      // e.g. an address of a family the Service does not ask for changed: the list did not
      if (!now.equals(ingress)) ingress = List.copyOf(now);
      stale = false;
    }
    return ingress;
  }

  /** {@code !ingress().isEmpty()}, in O(1). */
  public boolean advertises() {
    return (external.isEmpty() ? internal.listed : external.listed) > 0;
  }

  /** Every granted node has a Ready svclb pod and no ledger is still to answer. */
  public boolean settled() {
    if (!tracked) return plan.settled();
    return plan.undecided().isEmpty() && readyNodes == plan.granted().size();
  }

  /** Why nothing is advertised, or null when something is. */
  public PendingReason pending() {
    return advertises() ? null : waiting.reason();
  }

  /** {@link #pending} with the nodes and ports. */
  public String pendingText() {
    return advertises() ? null : waiting.text();
  }

  /** How many times an address went away: a change tells that the list shrank since. */
  public long losses() {
    return losses;
  }

  private void change(String node, Map<String, Integer> counts, int delta) {
    NodeInfo n = granted.get(node);
    if (n == null) return;
    boolean wasReady = readyPods.containsKey(node);
    boolean wasShown = shown(node);
    counts.merge(node, delta, (a, b) -> a + b == 0 ? null : a + b);
    boolean isReady = readyPods.containsKey(node);
    if (isReady != wasReady) readyNodes += isReady ? 1 : -1;
    boolean isShown = shown(node);
    if (isShown == wasShown) return;
    int d = isShown ? 1 : -1;
    n.addressesOfType("ExternalIP").forEach(a -> external.change(a, d));
    n.addressesOfType("InternalIP").forEach(a -> internal.change(a, d));
  }

  /** The node's addresses are advertised: a Ready svclb pod, and for Local a Ready endpoint. */
  private boolean shown(String node) {
    return readyPods.containsKey(node) && (!local || endpoints.containsKey(node));
  }

  /** Addresses of advertised nodes, each with the number of those nodes that have it. */
  private final class Addresses {
    final TreeMap<String, Integer> count = new TreeMap<>();

    /** How many of them {@link IngressCalculator#fromAddresses} lists (their family is asked). */
    int listed;

    boolean isEmpty() {
      return count.isEmpty();
    }

    java.util.NavigableSet<String> keys() {
      return count.navigableKeySet();
    }

    void change(String address, int delta) {
      Integer now = count.merge(address, delta, (a, b) -> a + b == 0 ? null : a + b);
      boolean came = delta > 0 && now != null && now == delta;
      boolean went = delta < 0 && now == null;
      if (!came && !went) return;
      stale = true;
      // an address went away, or the first ExternalIP replaced the list of InternalIPs
      if (went || this == external && count.size() == 1 && !internal.isEmpty()) losses++;
      if (IngressCalculator.listed(svc, address)) listed += came ? 1 : -1;
    }
  }
}
