package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl get ds} and {@code kubectl get deploy} rows, after Kubernetes' printers. */
final class WorkloadPrinter {
  private WorkloadPrinter() {}

  static List<Object> daemonSet(JsonNode ds, Instant now) {
    JsonNode status = ds.path("status");
    JsonNode podSpec = ds.path("spec").path("template").path("spec");
    return List.of(
        Printers.name(ds),
        status.path("desiredNumberScheduled").asLong(0),
        status.path("currentNumberScheduled").asLong(0),
        status.path("numberReady").asLong(0),
        status.path("updatedNumberScheduled").asLong(0),
        status.path("numberAvailable").asLong(0),
        Printers.formatLabels(podSpec.path("nodeSelector")),
        Printers.age(ds, now),
        containerNames(podSpec),
        images(podSpec),
        Printers.formatSelector(ds.path("spec").path("selector"), "<none>"));
  }

  static List<Object> deployment(JsonNode deploy, Instant now) {
    JsonNode status = deploy.path("status");
    JsonNode podSpec = deploy.path("spec").path("template").path("spec");
    long desired = deploy.path("spec").path("replicas").asLong(1);
    return List.of(
        Printers.name(deploy),
        status.path("readyReplicas").asLong(0) + "/" + desired,
        status.path("updatedReplicas").asLong(0),
        status.path("availableReplicas").asLong(0),
        Printers.age(deploy, now),
        containerNames(podSpec),
        images(podSpec),
        Printers.formatSelector(deploy.path("spec").path("selector"), ""));
  }

  private static String containerNames(JsonNode podSpec) {
    List<String> names = new ArrayList<>();
    podSpec.path("containers").forEach(c -> names.add(c.path("name").asText()));
    return String.join(",", names);
  }

  private static String images(JsonNode podSpec) {
    List<String> images = new ArrayList<>();
    podSpec.path("containers").forEach(c -> images.add(c.path("image").asText()));
    return String.join(",", images);
  }
}
