package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduler's filters the sim needs, pure: node selector, node affinity, taints, host ports.
 */
public final class Scheduler {
  private Scheduler() {}

  /** The message kube-scheduler gives a pod that no node has free ports for. */
  public static String noFreePorts(int nodes) {
    return "0/"
        + nodes
        + " nodes are available: "
        + nodes
        + " node(s) didn't have free ports for the requested pod ports.";
  }

  /** The tolerations the DaemonSet controller adds to its pods. */
  public static final List<Toleration> DAEMONSET_TOLERATIONS =
      List.of(
          tol("node.kubernetes.io/not-ready", "NoExecute"),
          tol("node.kubernetes.io/unreachable", "NoExecute"),
          tol("node.kubernetes.io/disk-pressure", "NoSchedule"),
          tol("node.kubernetes.io/memory-pressure", "NoSchedule"),
          tol("node.kubernetes.io/pid-pressure", "NoSchedule"),
          tol("node.kubernetes.io/unschedulable", "NoSchedule"));

  private static Toleration tol(String key, String effect) {
    Toleration t = new Toleration();
    t.setKey(key);
    t.setOperator("Exists");
    t.setEffect(effect);
    return t;
  }

  /** Whether the pod may run on the node, ignoring ports. */
  public static boolean fits(PodSpec spec, Node node, List<Toleration> extraTolerations) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null) {
      for (var e : spec.getNodeSelector().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      }
    }
    if (!affinityMatches(spec, node.getMetadata().getName(), labels)) return false;
    List<Toleration> tolerations = new ArrayList<>(extraTolerations);
    if (spec.getTolerations() != null) tolerations.addAll(spec.getTolerations());
    List<Taint> taints =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints();
    for (Taint t : taints) {
      if ("PreferNoSchedule".equals(t.getEffect())) continue;
      if (tolerations.stream().noneMatch(x -> tolerates(x, t))) return false;
    }
    return true;
  }

  static boolean affinityMatches(PodSpec spec, String nodeName, Map<String, String> labels) {
    if (spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) return true;
    // terms are ORed, requirements within a term ANDed
    for (NodeSelectorTerm term : terms) {
      boolean all = true;
      for (NodeSelectorRequirement r : list(term.getMatchExpressions())) {
        all &= matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()));
      }
      for (NodeSelectorRequirement r : list(term.getMatchFields())) {
        all &= "metadata.name".equals(r.getKey()) && matches(r, nodeName, true);
      }
      if (all) return true;
    }
    return false;
  }

  private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = list(r.getValues());
    return switch (r.getOperator()) {
      case "In" -> present && values.contains(value);
      case "NotIn" -> !present || !values.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt" -> present && number(value) > number(values.get(0));
      case "Lt" -> present && number(value) < number(values.get(0));
      default -> false;
    };
  }

  private static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (t.getKey() == null || t.getKey().isEmpty()) return "Exists".equals(t.getOperator());
    if (!t.getKey().equals(taint.getKey())) return false;
    if ("Exists".equals(t.getOperator())) return true;
    return String.valueOf(t.getValue()).equals(String.valueOf(taint.getValue()))
        || (isEmpty(t.getValue()) && isEmpty(taint.getValue()));
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** "port/PROTO" of every hostPort the pod asks for. */
  public static Set<String> hostPorts(PodSpec spec) {
    Set<String> out = new TreeSet<>();
    if (spec == null || spec.getContainers() == null) return out;
    for (var c : spec.getContainers()) {
      for (ContainerPort p : list(c.getPorts())) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add(p.getHostPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol()));
        }
      }
    }
    return out;
  }

  /** Whether any of {@code wanted} is held by one of {@code podsOnNode} (other than itself). */
  public static boolean portsFree(Set<String> wanted, Collection<Pod> podsOnNode, String self) {
    if (wanted.isEmpty()) return true;
    // the wanted port numbers first: a node's other pods are checked without building their
    // "port/PROTO" strings unless the number matches (a node with 10,000 svclb pods, each on a
    // port of its own, was rebuilt in strings for every new pod)
    Set<Integer> numbers = new HashSet<>();
    for (String w : wanted) numbers.add(Integer.valueOf(w.substring(0, w.indexOf('/'))));
    for (Pod p : podsOnNode) {
      if (p.getMetadata().getName().equals(self)) continue;
      if (p.getSpec() == null || p.getSpec().getContainers() == null) continue;
      for (var c : p.getSpec().getContainers()) {
        for (ContainerPort port : list(c.getPorts())) {
          Integer n = port.getHostPort();
          if (n == null || n <= 0 || !numbers.contains(n)) continue;
          String proto = port.getProtocol() == null ? "TCP" : port.getProtocol();
          if (wanted.contains(n + "/" + proto)) return false;
        }
      }
    }
    return true;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
