package io.netsvc.actors.servicelb.model;

import io.fabric8.kubernetes.api.model.Toleration;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which nodes may run a Service's svclb pod. K3s: all nodes, unless some node carries the enablelb
 * label key (allow-list mode: enablelb=true only, and the Service's lbpool if set). netsvc adds: a
 * node whose NoSchedule/NoExecute taints the pod does not tolerate is not eligible, because the
 * DaemonSet controller would never place the pod there, so no port is reserved.
 */
public final class Eligibility {
  private Eligibility() {}

  public static boolean allowListMode(Collection<NodeInfo> nodes) {
    return nodes.stream().anyMatch(n -> n.labels().containsKey(SvclbNames.ENABLELB_LABEL));
  }

  public static SortedSet<String> eligibleNodes(
      Collection<NodeInfo> nodes, String pool, List<Toleration> podTolerations) {
    boolean allowList = allowListMode(nodes);
    List<Toleration> tolerations = new ArrayList<>(podTolerations);
    tolerations.addAll(daemonSetControllerTolerations());
    SortedSet<String> out = new TreeSet<>();
    for (NodeInfo n : nodes) {
      if (allowList) {
        if (!"true".equals(n.labels().get(SvclbNames.ENABLELB_LABEL))) continue;
        if (pool != null
            && !pool.isEmpty()
            && !pool.equals(n.labels().get(SvclbNames.LBPOOL_LABEL))) continue;
      }
      if (n.taints().stream().allMatch(t -> tolerated(t, tolerations))) out.add(n.name());
    }
    return out;
  }

  /** The tolerations the DaemonSet controller adds to every DaemonSet pod. */
  public static List<Toleration> daemonSetControllerTolerations() {
    return List.of(
        Tolerations.exists("node.kubernetes.io/not-ready", "NoExecute"),
        Tolerations.exists("node.kubernetes.io/unreachable", "NoExecute"),
        Tolerations.exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
        Tolerations.exists("node.kubernetes.io/unschedulable", "NoSchedule"));
  }

  /** PreferNoSchedule never keeps a pod away; the other effects must be tolerated. */
  static boolean tolerated(TaintInfo taint, List<Toleration> tolerations) {
    if ("PreferNoSchedule".equals(taint.effect())) return true;
    return tolerations.stream().anyMatch(t -> tolerates(t, taint));
  }

  static boolean tolerates(Toleration t, TaintInfo taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.effect())) {
      return false;
    }
    boolean emptyKey = t.getKey() == null || t.getKey().isEmpty();
    if (emptyKey) return "Exists".equals(t.getOperator());
    if (!t.getKey().equals(taint.key())) return false;
    if ("Exists".equals(t.getOperator())) return true;
    String v = t.getValue() == null ? "" : t.getValue();
    return v.equals(taint.value() == null ? "" : taint.value());
  }
}
