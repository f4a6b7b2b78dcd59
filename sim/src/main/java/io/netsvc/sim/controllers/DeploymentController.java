package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Deployment keeps {@code replicas} pods of its current template (no ReplicaSets, no surge: the
 * sim only needs the pods, so that Services get endpoints). Pods are placed by the bare-pod
 * scheduler.
 */
final class DeploymentController {
  private static final String HASH = "pod-template-hash";
  private final SimState state;
  private final Writer writer;
  private final Map<String, Deployment> byUid = new HashMap<>();

  DeploymentController(SimState state, Writer writer) {
    this.state = state;
    this.writer = writer;
  }

  void onDeployment(Deployment d) {
    byUid.put(d.getMetadata().getUid(), d);
    reconcile(d);
  }

  void onDeploymentGone(Deployment d) {
    byUid.remove(d.getMetadata().getUid());
    state.pods.ownedBy(d.getMetadata().getUid()).forEach(this::delete);
  }

  void onPodGone(Pod p) {
    String owner = PodIndex.owner(p);
    if (owner != null && byUid.containsKey(owner)) reconcile(byUid.get(owner));
  }

  void reconcileAll() {
    List.copyOf(byUid.values()).forEach(this::reconcile);
  }

  private void reconcile(Deployment d) {
    if (!state.synced) return;
    String hash = Integer.toHexString(Serialization.asJson(d.getSpec().getTemplate()).hashCode());
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int current = 0;
    for (Pod p : state.pods.ownedBy(d.getMetadata().getUid())) {
      String h = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(HASH);
      if (!hash.equals(h) || current >= replicas) delete(p);
      else current++;
    }
    for (int i = current; i < replicas; i++) create(d, hash);
    int ready = current;
    String ns = d.getMetadata().getNamespace();
    String name = d.getMetadata().getName();
    String patch =
        "{\"status\":{\"replicas\":"
            + replicas
            + ",\"updatedReplicas\":"
            + replicas
            + ",\"readyReplicas\":"
            + ready
            + ",\"availableReplicas\":"
            + ready
            + ",\"observedGeneration\":"
            + d.getMetadata().getGeneration()
            + "}}";
    writer.mergePatch(
        "deployment status " + name,
        c -> c.apps().deployments().inNamespace(ns).withName(name).subresource("status"),
        patch);
  }

  private void create(Deployment d, String hash) {
    Pod pod =
        ControlledPods.of(
                d,
                "Deployment",
                d.getSpec().getTemplate(),
                d.getMetadata().getName() + "-" + hash + "-" + PodIndex.suffix(),
                Map.of(HASH, hash),
                Serialization.clone(d.getSpec().getTemplate().getSpec()),
                null)
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    state.pods.upsert(pod);
    writer.write("create pod " + pod.getMetadata().getName(), c -> c.pods().resource(pod).create());
  }

  private void delete(Pod p) {
    state.pods.remove(PodIndex.key(p));
    writer.deletePod(p);
  }
}
