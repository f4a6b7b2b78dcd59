package io.netsvc.actors.servicelb.model;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one LoadBalancer Service should look like right now, derived from everything its
 * ServiceActor knows. Pure: the actor diffs a plan against what it already wrote.
 *
 * @param problems why the Service cannot be served at all (bad input); then nothing else is set
 * @param eligible nodes that may run its svclb pod (mode, pool, taints)
 * @param granted eligible nodes whose ledger granted all its ports
 * @param undecided eligible nodes that have not answered yet
 * @param daemonSetRequest what the DaemonSet to apply is rendered from, or null when none should
 *     exist (yet); the plan keeps that, not the rendering (see {@link DaemonSetRequest})
 * @param ingress the status it should advertise
 * @param pendingReason why nothing is advertised yet, or null
 * @param settled every granted node has a Ready svclb pod (nothing more is about to appear)
 * @param pending the kind of {@code pendingReason}, null when that is null
 */
public record LbPlan(
    List<String> problems,
    SortedSet<String> eligible,
    SortedSet<String> granted,
    SortedSet<String> undecided,
    DaemonSetRequest daemonSetRequest,
    List<IngressInfo> ingress,
    String pendingReason,
    boolean settled,
    PendingReason pending) {

  /** Inputs of {@link #compute}; {@code candidates} is null until the pool has answered. */
  public record Inputs(
      ServiceInfo svc,
      DaemonSetRenderer.RenderOptions render,
      boolean allowListMode,
      List<NodeInfo> candidates,
      Map<String, Boolean> decisions,
      Collection<PodInfo> svclbPods,
      Set<String> endpointNodes,
      List<String> conflicts) {}

  /** The DaemonSet to apply, rendered now, or null when none should exist (yet). */
  public DaemonSet daemonSet() {
    return daemonSetRequest == null ? null : daemonSetRequest.render();
  }

  public static LbPlan compute(Inputs in) {
    ServiceInfo svc = in.svc();
    List<String> problems = ServiceValidation.problems(svc);
    if (!problems.isEmpty()) {
      return new LbPlan(
          problems,
          empty(),
          empty(),
          empty(),
          null,
          List.of(),
          "invalid Service: " + String.join("; ", problems),
          true,
          PendingReason.INVALID);
    }
    if (in.candidates() == null) {
      return new LbPlan(
          problems,
          empty(),
          empty(),
          empty(),
          null,
          List.of(),
          "waiting for the node list",
          false,
          PendingReason.NODE_LIST);
    }
    String pool = svc.labels().getOrDefault(SvclbNames.LBPOOL_LABEL, "");
    SortedSet<String> eligible =
        Eligibility.eligibleNodes(in.candidates(), pool, Tolerations.forService(svc));
    SortedSet<String> granted = new TreeSet<>();
    SortedSet<String> undecided = new TreeSet<>();
    for (String node : eligible) {
      Boolean d = in.decisions().get(node);
      if (d == null) undecided.add(node);
      else if (d) granted.add(node);
    }
    // an actor keeps its plan: the usual sets (all granted, none undecided) are not kept twice
    if (granted.size() == eligible.size()) granted = eligible;
    if (undecided.isEmpty()) undecided = Collections.emptySortedSet();
    DaemonSetRequest ds = null;
    if (undecided.isEmpty() && !granted.isEmpty()) {
      SortedSet<String> affinity = granted.size() == eligible.size() ? null : granted;
      ds = new DaemonSetRequest(svc, in.render(), in.allowListMode(), affinity);
    }
    Set<String> ready = readyNodes(in, granted);
    List<IngressInfo> ingress = ingress(in, ready);
    Pending pending =
        ingress.isEmpty() ? waiting(in, pool, eligible, granted, undecided) : Pending.NONE;
    return new LbPlan(
        problems,
        eligible,
        granted,
        undecided,
        ds,
        ingress,
        pending.text(),
        undecided.isEmpty() && ready.containsAll(granted),
        pending.reason());
  }

  /**
   * Why {@code plan} (computed from {@code in}) would advertise nothing, should its svclb pods give
   * no address: what a {@link LivePlan} reports while its list is empty. Depends on no svclb pod or
   * endpoint, so it is computed once per plan.
   */
  public static Pending waiting(Inputs in, LbPlan plan) {
    if (!plan.problems().isEmpty() || in.candidates() == null) {
      return new Pending(plan.pending(), plan.pendingReason());
    }
    String pool = in.svc().labels().getOrDefault(SvclbNames.LBPOOL_LABEL, "");
    return waiting(in, pool, plan.eligible(), plan.granted(), plan.undecided());
  }

  private static Set<String> readyNodes(Inputs in, Set<String> granted) {
    Set<String> ready = new TreeSet<>();
    for (PodInfo p : in.svclbPods()) {
      if (readyOn(p) != null && granted.contains(p.nodeName())) {
        ready.add(p.nodeName());
      }
    }
    return ready;
  }

  /** The node a svclb pod makes Ready (Ready, not deleting, with a pod IP), or null. */
  public static String readyOn(PodInfo p) {
    return p != null && p.ready() && !p.deleting() && p.podIP() != null ? p.nodeName() : null;
  }

  private static List<IngressInfo> ingress(Inputs in, Set<String> ready) {
    List<NodeInfo> nodes = in.candidates().stream().filter(n -> ready.contains(n.name())).toList();
    return IngressCalculator.compute(in.svc(), nodes, in.endpointNodes());
  }

  /** Why nothing is advertised yet: the kind and the text; both null when something is. */
  public record Pending(PendingReason reason, String text) {
    public static final Pending NONE = new Pending(null, null);
  }

  private static Pending waiting(
      Inputs in, String pool, Set<String> eligible, Set<String> granted, Set<String> undecided) {
    if (eligible.isEmpty()) {
      if (!in.allowListMode()) {
        return new Pending(PendingReason.NO_ELIGIBLE_NODE, "no node tolerates the svclb pod");
      }
      return new Pending(
          PendingReason.NO_ELIGIBLE_NODE,
          "no eligible node: allow-list mode needs "
              + SvclbNames.ENABLELB_LABEL
              + "=true"
              + (pool.isEmpty() ? "" : " and " + SvclbNames.LBPOOL_LABEL + "=" + pool)
              + " on a node that the svclb pod tolerates");
    }
    if (!undecided.isEmpty()) {
      return new Pending(PendingReason.PORT_LEDGER, "waiting for the port ledger of " + undecided);
    }
    if (in.svc().clusterIPs().isEmpty()) {
      return new Pending(PendingReason.CLUSTER_IP, "waiting for the Service's ClusterIP");
    }
    if (granted.isEmpty()) {
      return new Pending(
          PendingReason.PORT_CONFLICT,
          "no node has the ports free: " + String.join("; ", in.conflicts()));
    }
    if (in.svc().requestsOnlyLocalTraffic()) {
      return new Pending(
          PendingReason.NO_LOCAL_ENDPOINT,
          "externalTrafficPolicy Local: no Ready endpoint on a node with a Ready svclb pod");
    }
    return new Pending(
        PendingReason.SVCLB_NOT_READY, "waiting for svclb pods to become Ready on " + granted);
  }

  private static SortedSet<String> empty() {
    return new TreeSet<>();
  }
}
