package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code kubectl get nodes} and {@code kubectl get pods} rows, after Kubernetes' printers. */
final class NodePodPrinter {
  private NodePodPrinter() {}

  static List<Object> node(JsonNode node, Instant now) {
    List<String> status = new ArrayList<>();
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        status.add(c.path("status").asText().equals("True") ? "Ready" : "NotReady");
      }
    }
    if (status.isEmpty()) status.add("Unknown");
    if (node.path("spec").path("unschedulable").asBoolean(false)) status.add("SchedulingDisabled");
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("node-role.kubernetes.io/")) {
                String role = e.getKey().substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) roles.add(role);
              } else if (e.getKey().equals("kubernetes.io/role")
                  && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
              }
            });
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        Printers.name(node),
        String.join(",", status),
        roles.isEmpty() ? "<none>" : String.join(",", roles),
        Printers.age(node, now),
        info.path("kubeletVersion").asText(""),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        unknownIfEmpty(info.path("osImage").asText("")),
        unknownIfEmpty(info.path("kernelVersion").asText("")),
        unknownIfEmpty(info.path("containerRuntimeVersion").asText("")));
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) return a.path("address").asText();
    }
    return "<none>";
  }

  private static String unknownIfEmpty(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  static List<Object> pod(JsonNode pod, Instant now) {
    JsonNode status = pod.path("status");
    JsonNode spec = pod.path("spec");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    int restarts = 0;
    int ready = 0;
    String lastRestart = "";
    boolean initializing = false;
    JsonNode inits = status.path("initContainerStatuses");
    for (int i = 0; i < inits.size(); i++) {
      JsonNode c = inits.get(i);
      restarts += c.path("restartCount").asInt(0);
      JsonNode term = c.path("state").path("terminated");
      JsonNode wait = c.path("state").path("waiting");
      if (!term.isMissingNode() && term.path("exitCode").asInt(0) == 0) continue;
      initializing = true;
      if (!term.isMissingNode()) reason = "Init:" + terminatedReason(term);
      else if (!wait.path("reason").asText("").isEmpty()
          && !wait.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + wait.path("reason").asText();
      } else reason = "Init:" + i + "/" + spec.path("initContainers").size();
      break;
    }
    if (!initializing) {
      restarts = 0;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode c = statuses.get(i);
        restarts += c.path("restartCount").asInt(0);
        String finished = c.path("lastState").path("terminated").path("finishedAt").asText("");
        if (finished.compareTo(lastRestart) > 0) lastRestart = finished;
        JsonNode state = c.path("state");
        if (!state.path("waiting").path("reason").asText("").isEmpty()) {
          reason = state.path("waiting").path("reason").asText();
        } else if (state.has("terminated")) {
          reason = terminatedReason(state.path("terminated"));
        } else if (c.path("ready").asBoolean(false) && state.has("running")) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) reason = "Running";
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = status.path("reason").asText("").equals("NodeLost") ? "Unknown" : "Terminating";
    }
    String restartCell =
        restarts != 0 && !lastRestart.isEmpty()
            ? restarts + " (" + HumanDuration.since(lastRestart, now) + " ago)"
            : String.valueOf(restarts);
    return List.of(
        Printers.name(pod),
        ready + "/" + spec.path("containers").size(),
        reason,
        restartCell,
        Printers.age(pod, now),
        Printers.orNone(status.path("podIP").asText("")),
        Printers.orNone(spec.path("nodeName").asText("")),
        Printers.orNone(status.path("nominatedNodeName").asText("")),
        readinessGates(pod));
  }

  private static String terminatedReason(JsonNode term) {
    String reason = term.path("reason").asText("");
    if (!reason.isEmpty()) return reason;
    int signal = term.path("signal").asInt(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + term.path("exitCode").asInt(0);
  }

  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.path("spec").path("readinessGates");
    if (gates.isEmpty()) return "<none>";
    int trueCount = 0;
    for (JsonNode g : gates) {
      for (JsonNode c : pod.path("status").path("conditions")) {
        if (c.path("type").asText().equals(g.path("conditionType").asText())
            && c.path("status").asText().equals("True")) {
          trueCount++;
        }
      }
    }
    return trueCount + "/" + gates.size();
  }
}
