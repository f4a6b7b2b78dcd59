package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DaemonSet controller + scheduler: one pod per node that passes nodeSelector, node affinity and
 * taints; a pod whose host ports are taken on its node stays Pending with the scheduler's message
 * and is bound once they free up. Stale pods (template changed, node no longer wanted) go.
 */
final class DaemonSetController {
  private static final String HASH = "controller-revision-hash";
  private final SimState state;
  private final Writer writer;
  private final Kubelet kubelet;
  private final Map<String, DaemonSet> daemonSets = new LinkedHashMap<>();
  private final Set<String> statusDirty = new HashSet<>();
  private final Map<String, String> hashes = new HashMap<>();
  private final Map<String, DaemonSet> byUid = new HashMap<>();

  /** DaemonSets with a Pending pod, re-tried whenever a pod goes away. */
  private final Set<String> waiting = new HashSet<>();

  private final Set<String> bareBound = new HashSet<>();

  DaemonSetController(SimState state, Writer writer, Kubelet kubelet) {
    this.state = state;
    this.writer = writer;
    this.kubelet = kubelet;
  }

  private static String key(DaemonSet ds) {
    return ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
  }

  void onDaemonSet(DaemonSet ds) {
    DaemonSet before = daemonSets.put(key(ds), ds);
    if (before != null)
      hashes.remove(key(before) + "@" + before.getMetadata().getResourceVersion());
    byUid.put(ds.getMetadata().getUid(), ds);
    reconcile(ds);
  }

  void onDaemonSetGone(DaemonSet ds) {
    daemonSets.remove(key(ds));
    byUid.remove(ds.getMetadata().getUid());
    waiting.remove(key(ds));
    hashes.keySet().removeIf(k -> k.startsWith(key(ds) + "@"));
    for (Pod p : state.pods.ownedBy(ds.getMetadata().getUid())) delete(p);
  }

  void onPod(Pod p) {
    String owner = PodIndex.owner(p);
    if (owner == null) return;
    DaemonSet ds = byUid.get(owner);
    if (ds == null) {
      // its DaemonSet is gone (the embedded API has no garbage collector)
      if (state.synced && isDaemonSetPod(p)) delete(p);
      return;
    }
    reconcile(ds);
  }

  void onPodGone(Pod p) {
    kubelet.forget(p);
    String owner = PodIndex.owner(p);
    if (owner != null && byUid.containsKey(owner)) reconcile(byUid.get(owner));
    if (Scheduler.hostPorts(p.getSpec()).isEmpty()) return;
    // a freed port: DaemonSets with a Pending pod may bind it now
    for (String k : new ArrayList<>(waiting)) {
      if (daemonSets.containsKey(k)) reconcile(daemonSets.get(k));
    }
  }

  void reconcileAll() {
    new ArrayList<>(daemonSets.values()).forEach(this::reconcile);
  }

  private static boolean isDaemonSetPod(Pod p) {
    return p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> "DaemonSet".equals(r.getKind()));
  }

  void reconcile(DaemonSet ds) {
    if (!state.synced) return;
    String hash =
        hashes.computeIfAbsent(
            key(ds) + "@" + ds.getMetadata().getResourceVersion(),
            k -> Integer.toHexString(Serialization.asJson(ds.getSpec().getTemplate()).hashCode()));
    PodSpec template = ds.getSpec().getTemplate().getSpec();
    Set<String> wanted = new HashSet<>();
    for (Node n : state.nodes.values()) {
      if (Scheduler.fits(template, n, Scheduler.DAEMONSET_TOLERATIONS))
        wanted.add(n.getMetadata().getName());
    }
    Map<String, Pod> current = new HashMap<>();
    List<Pod> stale = new ArrayList<>();
    for (Pod p : state.pods.ownedBy(ds.getMetadata().getUid())) {
      String node = PodIndex.node(p);
      String podHash =
          p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(HASH);
      if (node == null || !wanted.contains(node) || current.containsKey(node)) {
        delete(p);
      } else {
        current.put(node, p);
        if (!hash.equals(podHash)) stale.add(p);
      }
    }
    // RollingUpdate: replace outdated pods while at most maxUnavailable pods are not Ready
    long unavailable =
        wanted.stream()
            .filter(n -> current.get(n) == null || !Kubelet.running(current.get(n)))
            .count();
    for (Pod p : stale) {
      if (unavailable >= maxUnavailable(ds)) break;
      delete(p);
      current.remove(PodIndex.node(p));
      unavailable++;
    }
    Set<String> ports = Scheduler.hostPorts(template);
    boolean pending = false;
    for (String node : wanted) {
      Pod p = current.get(node);
      if (p != null && p.getSpec().getNodeName() != null) continue;
      boolean free =
          Scheduler.portsFree(
              ports, state.pods.boundOn(node), p == null ? "" : p.getMetadata().getName());
      if (p == null) create(ds, hash, node, free);
      else if (p.getSpec().getNodeName() == null && free) bind(p, node);
      if (!free) pending = true;
    }
    if (pending) waiting.add(key(ds));
    else waiting.remove(key(ds));
    markStatus(ds);
  }

  private static int maxUnavailable(DaemonSet ds) {
    var u = ds.getSpec().getUpdateStrategy();
    if (u == null
        || u.getRollingUpdate() == null
        || u.getRollingUpdate().getMaxUnavailable() == null) {
      return 1;
    }
    var v = u.getRollingUpdate().getMaxUnavailable();
    return v.getIntVal() != null ? Math.max(1, v.getIntVal()) : Integer.MAX_VALUE;
  }

  private void create(DaemonSet ds, String hash, String node, boolean free) {
    PodSpec spec = Serialization.clone(ds.getSpec().getTemplate().getSpec());
    List<Toleration> tolerations =
        new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    tolerations.addAll(Scheduler.DAEMONSET_TOLERATIONS);
    spec.setTolerations(tolerations);
    if (free) spec.setNodeName(node);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(HASH, hash);
    labels.put(
        "pod-template-generation",
        String.valueOf(
            ds.getMetadata().getGeneration() == null ? 1 : ds.getMetadata().getGeneration()));
    PodBuilder b =
        ControlledPods.of(
                ds,
                "DaemonSet",
                ds.getSpec().getTemplate(),
                ds.getMetadata().getName() + "-" + PodIndex.suffix(),
                labels,
                spec,
                true)
            .editMetadata()
            .addToAnnotations(PodIndex.INTENDED_NODE, node)
            .endMetadata();
    if (!free) {
      b.withNewStatus()
          .withPhase("Pending")
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("False")
          .withReason("Unschedulable")
          .withMessage(Scheduler.noFreePorts(state.nodes.size()))
          .endCondition()
          .endStatus();
    } else {
      b.withNewStatus().withPhase("Pending").endStatus();
    }
    Pod pod = b.build();
    state.pods.upsert(pod);
    writer.write("create pod " + pod.getMetadata().getName(), c -> c.pods().resource(pod).create());
  }

  /** A pod of no controller (e.g. kubectl apply of a Pod) gets the least busy node that fits. */
  void scheduleBare(Pod p) {
    if (!state.synced
        || p.getSpec() == null
        || p.getSpec().getNodeName() != null
        || PodIndex.finished(p)
        || isDaemonSetPod(p)) return;
    if (!bareBound.add(p.getMetadata().getUid())) return;
    Set<String> ports = Scheduler.hostPorts(p.getSpec());
    String best = null;
    for (Node n : state.nodes.values()) {
      String name = n.getMetadata().getName();
      if (!Scheduler.fits(p.getSpec(), n, List.of())
          || !Scheduler.portsFree(ports, state.pods.boundOn(name), p.getMetadata().getName()))
        continue;
      if (best == null || state.pods.countOn(name) < state.pods.countOn(best)) best = name;
    }
    if (best != null) bind(p, best);
    else bareBound.remove(p.getMetadata().getUid());
  }

  void bind(Pod p, String node) {
    Pod bound =
        new PodBuilder(p)
            .editSpec()
            .withNodeName(node)
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    state.pods.upsert(bound);
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    String patch =
        "{\"spec\":{\"nodeName\":\""
            + node
            + "\"},\"status\":{\"phase\":\"Pending\","
            + "\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}]}}";
    writer.mergePatch("bind pod " + name, c -> c.pods().inNamespace(ns).withName(name), patch);
  }

  private void delete(Pod p) {
    state.pods.remove(PodIndex.key(p));
    kubelet.forget(p);
    writer.deletePod(p);
  }

  /** DaemonSet status is written at most every 200 ms per DaemonSet. */
  private void markStatus(DaemonSet ds) {
    if (!statusDirty.add(key(ds))) return;
    writer.later(
        200,
        () -> {
          statusDirty.remove(key(ds));
          DaemonSet now = daemonSets.get(key(ds));
          if (now != null) writeStatus(now);
        });
  }

  private void writeStatus(DaemonSet ds) {
    List<Pod> pods = state.pods.ownedBy(ds.getMetadata().getUid());
    int scheduled = 0;
    int ready = 0;
    for (Pod p : pods) {
      if (p.getSpec().getNodeName() != null) scheduled++;
      if (Kubelet.running(p)) ready++;
    }
    int desired = pods.size();
    DaemonSetStatus status =
        new DaemonSetStatusBuilder()
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(scheduled)
            .withNumberReady(ready)
            .withUpdatedNumberScheduled(scheduled)
            .withNumberAvailable(ready)
            .withNumberUnavailable(desired - ready)
            .withNumberMisscheduled(0)
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .build();
    if (status.equals(ds.getStatus())) return;
    String ns = ds.getMetadata().getNamespace();
    String name = ds.getMetadata().getName();
    writer.mergePatch(
        "ds status " + name,
        c -> c.apps().daemonSets().inNamespace(ns).withName(name).subresource("status"),
        Serialization.asJson(Map.of("status", status)));
  }
}
