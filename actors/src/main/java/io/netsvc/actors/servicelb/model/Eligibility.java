package io.netsvc.actors.servicelb.model;

import io.fabric8.kubernetes.api.model.Toleration;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which nodes may run a Service's svclb pod.
 *
 * <p>K3s (docs/k3s-and-kube-router.md, "Which nodes"): all nodes, unless some node carries the
 * {@code enablelb} label key (allow-list mode): then only nodes with {@code enablelb=true} and,
 * when the Service names a pool, that {@code lbpool} label. The pool is ignored in default mode, as
 * in K3s.
 *
 * <p>netsvc addition: a node with a NoSchedule or NoExecute taint that the pod's tolerations (plus
 * those the DaemonSet controller adds) do not tolerate is not eligible. The DaemonSet controller
 * would never place the pod there, so reserving a host port on it would only refuse other Services
 * for nothing.
 */
public final class Eligibility {
  private Eligibility() {}

  /** K3s's {@code nodeHasDaemonSetLabel}: some node has the enablelb label key (any value). */
  public static boolean allowListMode(Collection<NodeInfo> nodes) {
    return nodes.stream().anyMatch(n -> n.labels().containsKey(SvclbNames.ENABLELB_LABEL));
  }

  /**
   * The nodes of a pool, sorted by name: what a PoolActor tells its Services, and what a starting
   * ServiceActor computes from the member's caches. Taints are per Service (its tolerations), so
   * the pool filters with a tolerate-all list.
   *
   * @param pool the pool's lbpool label ("" or null: the pool of Services without one)
   */
  public static List<NodeInfo> poolMembers(Collection<NodeInfo> nodes, String pool) {
    SortedSet<String> names = eligibleNodes(nodes, pool == null ? "" : pool, TOLERATE_ALL);
    return nodes.stream()
        .filter(n -> names.contains(n.name()))
        .sorted(java.util.Comparator.comparing(NodeInfo::name))
        .toList();
  }

  private static final List<Toleration> TOLERATE_ALL =
      List.of(
          new io.fabric8.kubernetes.api.model.TolerationBuilder().withOperator("Exists").build());

  /**
   * @param pool the Service's lbpool label ("" or null: none)
   * @param podTolerations the svclb pod's own tolerations, e.g. {@link Tolerations#forService}
   */
  public static SortedSet<String> eligibleNodes(
      Collection<NodeInfo> nodes, String pool, List<Toleration> podTolerations) {
    boolean allowList = allowListMode(nodes);
    List<Toleration> tolerations = new ArrayList<>(daemonSetControllerTolerations());
    if (podTolerations != null) tolerations.addAll(podTolerations);
    SortedSet<String> out = new TreeSet<>();
    for (NodeInfo n : nodes) {
      if (allowList) {
        if (!"true".equals(n.labels().get(SvclbNames.ENABLELB_LABEL))) continue;
        boolean pooled = pool != null && !pool.isEmpty();
        if (pooled && !pool.equals(n.labels().get(SvclbNames.LBPOOL_LABEL))) continue;
      }
      if (n.taints().stream().allMatch(t -> tolerated(t, tolerations))) out.add(n.name());
    }
    return out;
  }

  /** The tolerations the DaemonSet controller adds to every DaemonSet pod (not hostNetwork). */
  public static List<Toleration> daemonSetControllerTolerations() {
    return List.of(
        Tolerations.exists("node.kubernetes.io/not-ready", "NoExecute"),
        Tolerations.exists("node.kubernetes.io/unreachable", "NoExecute"),
        Tolerations.exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/unschedulable", "NoSchedule"));
  }

  /** Only NoSchedule and NoExecute keep a DaemonSet pod away; PreferNoSchedule never does. */
  static boolean tolerated(TaintInfo taint, List<Toleration> tolerations) {
    if (!"NoSchedule".equals(taint.effect()) && !"NoExecute".equals(taint.effect())) return true;
    return tolerations.stream().anyMatch(t -> tolerates(t, taint));
  }

  /** Kubernetes's {@code Toleration.ToleratesTaint}. */
  static boolean tolerates(Toleration t, TaintInfo taint) {
    if (!empty(t.getEffect()) && !t.getEffect().equals(taint.effect())) return false;
    if (!empty(t.getKey()) && !t.getKey().equals(taint.key())) return false;
    String op = t.getOperator() == null ? "" : t.getOperator();
    return switch (op) {
      case "Exists" -> true;
      case "", "Equal" -> Objects.equals(nz(t.getValue()), nz(taint.value()));
      default -> false;
    };
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
