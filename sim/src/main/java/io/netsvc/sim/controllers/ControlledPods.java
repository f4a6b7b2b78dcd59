package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pods a DaemonSet or a Deployment creates, labelled and owned as Kubernetes does. */
final class ControlledPods {
  private ControlledPods() {}

  /**
   * A pod of {@code owner} (of {@code kind}, in apps/v1) in its namespace: the template's labels
   * plus {@code labels}, controlled by the owner; {@code spec} is the caller's copy of the
   * template's spec. {@code blockOwnerDeletion} null leaves it unset.
   */
  static PodBuilder of(
      HasMetadata owner,
      String kind,
      PodTemplateSpec template,
      String name,
      Map<String, String> labels,
      PodSpec spec,
      Boolean blockOwnerDeletion) {
    Map<String, String> all = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      all.putAll(template.getMetadata().getLabels());
    }
    all.putAll(labels);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(all)
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind(kind)
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(blockOwnerDeletion)
        .endOwnerReference()
        .endMetadata()
        .withSpec(spec);
  }
}
