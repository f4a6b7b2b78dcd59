package io.netsvc.chaos;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.servicelb.model.IngressCalculator;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.convert.Convert;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What must hold in the API after any fault, read as a user would with kubectl. Each violation is
 * one sentence naming the object, what it has and what it should have. Expected ingress is K3s's:
 * the addresses of the nodes with a Ready svclb pod ({@link IngressCalculator}); the chaos Services
 * use externalTrafficPolicy Cluster, so endpoints do not narrow it.
 */
public final class Invariants {
  static final String LB_NAMESPACE = "kube-system";

  private Invariants() {}

  /** The Service invariants and the NetworkPolicy ones ({@link PolicyInvariants}). */
  static List<String> all(KubernetesClient c, ProcessCluster cluster) {
    List<String> out = new ArrayList<>(violations(c));
    out.addAll(PolicyInvariants.violations(c, cluster::management));
    return out;
  }

  /**
   * Polls every 500 ms for up to {@code within} until {@code check} finds no violation and {@code
   * done} holds too; returns the violations of the last poll (empty once they held). It does not
   * fail on the timeout: the caller reports each part on its own.
   */
  public static List<String> awaitHeld(
      Duration within, Supplier<List<String>> check, BooleanSupplier done) {
    List<String> violations = new ArrayList<>();
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                violations.clear();
                violations.addAll(check.get());
                return violations.isEmpty() && done.getAsBoolean();
              });
    } catch (ConditionTimeoutException e) {
      // returned as they were at the last poll
    }
    return violations;
  }

  /** Every violation of the Service invariants now; empty when all of them hold. */
  public static List<String> violations(KubernetesClient c) {
    List<ServiceInfo> lbs =
        c.services().inAnyNamespace().list().getItems().stream()
            .map(Convert::service)
            .filter(ServiceInfo::wantsLoadBalancer)
            .toList();
    Map<String, NodeInfo> nodes =
        c.nodes().list().getItems().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), Convert::node, (a, b) -> a));
    List<DaemonSet> daemonSets =
        c.apps()
            .daemonSets()
            .inNamespace(LB_NAMESPACE)
            .withLabel(SvclbNames.SVCNAME_LABEL)
            .list()
            .getItems();
    List<Pod> pods =
        c
            .pods()
            .inNamespace(LB_NAMESPACE)
            .withLabel(SvclbNames.SVCNAME_LABEL)
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    List<String> out = new ArrayList<>();
    out.addAll(ingress(lbs, nodes, daemonSets, pods));
    out.addAll(orphans(lbs, daemonSets));
    out.addAll(pending(pods));
    out.addAll(hostPortsOfPods(pods));
    out.addAll(hostPortsOfDaemonSets(daemonSets, nodes.keySet()));
    return out;
  }

  static String key(Map<String, String> labels) {
    return labels.get(SvclbNames.SVCNAMESPACE_LABEL) + "/" + labels.get(SvclbNames.SVCNAME_LABEL);
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Nodes with a Ready svclb pod, by Service key. */
  static Map<String, Set<String>> readyNodes(List<Pod> pods) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Pod p : pods) {
      if (!ready(p) || p.getSpec().getNodeName() == null) continue;
      out.computeIfAbsent(key(p.getMetadata().getLabels()), k -> new TreeSet<>())
          .add(p.getSpec().getNodeName());
    }
    return out;
  }

  static List<IngressInfo> expected(ServiceInfo svc, Set<String> ready, Map<String, NodeInfo> n) {
    return IngressCalculator.compute(
        svc, ready.stream().map(n::get).filter(x -> x != null).toList(), Set.of());
  }

  private static List<String> ingress(
      List<ServiceInfo> lbs, Map<String, NodeInfo> nodes, List<DaemonSet> ds, List<Pod> pods) {
    Set<String> withDaemonSet =
        ds.stream().map(d -> key(d.getMetadata().getLabels())).collect(Collectors.toSet());
    Map<String, Set<String>> ready = readyNodes(pods);
    List<String> out = new ArrayList<>();
    for (ServiceInfo svc : lbs) {
      if (!withDaemonSet.contains(svc.key())) {
        out.add("Service " + svc.key() + " has no svclb DaemonSet");
      }
      Set<String> on = ready.getOrDefault(svc.key(), Set.of());
      List<IngressInfo> want = expected(svc, on, nodes);
      if (!IngressCalculator.sameIngress(svc.ingress(), want)) {
        out.add(
            "Service "
                + svc.key()
                + " has ingress "
                + IngressCalculator.describe(svc.ingress())
                + " but its Ready svclb pods on "
                + on
                + " give "
                + IngressCalculator.describe(want));
      }
    }
    return out;
  }

  private static List<String> orphans(List<ServiceInfo> lbs, List<DaemonSet> ds) {
    Set<String> wanted = lbs.stream().map(ServiceInfo::key).collect(Collectors.toSet());
    return ds.stream()
        .filter(d -> !wanted.contains(key(d.getMetadata().getLabels())))
        .map(
            d ->
                "orphan svclb DaemonSet "
                    + LB_NAMESPACE
                    + "/"
                    + d.getMetadata().getName()
                    + ": no LoadBalancer Service "
                    + key(d.getMetadata().getLabels()))
        .toList();
  }

  private static List<String> pending(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() == null || "Pending".equals(p.getStatus().getPhase()))
        .map(
            p ->
                "Pending svclb pod "
                    + LB_NAMESPACE
                    + "/"
                    + p.getMetadata().getName()
                    + " of Service "
                    + key(p.getMetadata().getLabels())
                    + " on node "
                    + p.getSpec().getNodeName())
        .toList();
  }

  /** A host port (port/protocol) held by two Services' pods on one node. */
  private static List<String> hostPortsOfPods(List<Pod> pods) {
    Map<String, Set<String>> holders = new TreeMap<>();
    for (Pod p : pods) {
      String node = p.getSpec().getNodeName();
      if (node == null) continue;
      for (String port : hostPorts(p.getSpec())) {
        holders
            .computeIfAbsent(node + " " + port, k -> new TreeSet<>())
            .add(key(p.getMetadata().getLabels()));
      }
    }
    return twice(holders, "svclb pods");
  }

  /** A host port granted to two Services' DaemonSets on one node (their node affinities). */
  private static List<String> hostPortsOfDaemonSets(List<DaemonSet> ds, Set<String> allNodes) {
    Map<String, Set<String>> holders = new TreeMap<>();
    for (DaemonSet d : ds) {
      PodSpec spec = d.getSpec().getTemplate().getSpec();
      for (String node : grantedNodes(spec, allNodes)) {
        for (String port : hostPorts(spec)) {
          holders
              .computeIfAbsent(node + " " + port, k -> new TreeSet<>())
              .add(key(d.getMetadata().getLabels()));
        }
      }
    }
    return twice(holders, "svclb DaemonSets' node affinities");
  }

  private static List<String> twice(Map<String, Set<String>> holders, String by) {
    List<String> out = new ArrayList<>();
    holders.forEach(
        (nodePort, services) -> {
          if (services.size() > 1) {
            String[] np = nodePort.split(" ");
            out.add(
                "host port "
                    + np[1]
                    + " on node "
                    + np[0]
                    + " granted to "
                    + services.size()
                    + " Services by the "
                    + by
                    + ": "
                    + services);
          }
        });
    return out;
  }

  private static List<String> hostPorts(PodSpec spec) {
    List<String> out = new ArrayList<>();
    for (Container c : spec.getContainers()) {
      if (c.getPorts() == null) continue;
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add(p.getHostPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol()));
        }
      }
    }
    return out;
  }

  /**
   * The nodes a DaemonSet's required node affinity (metadata.name In [...]) allows; all if none.
   */
  private static Set<String> grantedNodes(PodSpec spec, Set<String> allNodes) {
    if (spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            == null) {
      return allNodes;
    }
    Set<String> out = new TreeSet<>();
    for (NodeSelectorTerm t :
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      if (t.getMatchFields() == null) continue;
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())) {
          out.addAll(r.getValues());
        }
      }
    }
    return out;
  }
}
