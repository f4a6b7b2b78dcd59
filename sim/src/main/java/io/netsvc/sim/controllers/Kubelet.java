package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every pod bound to a node starts at once: Running, Ready, with a pod IP from its node. With wired
 * readiness a pod that has a network of its own starts Running but not Ready; whoever wires its
 * network (the netns lab) marks it Ready once it answers, as a readiness probe would.
 */
final class Kubelet {
  private final SimState state;
  private final Writer writer;
  private final boolean wiredReadiness;
  private final Set<String> started = new HashSet<>();

  Kubelet(SimState state, Writer writer, boolean wiredReadiness) {
    this.state = state;
    this.writer = writer;
    this.wiredReadiness = wiredReadiness;
  }

  /** Whether the netns lab wires this pod: its own network namespace and an IPv4 address. */
  static boolean wired(Pod p, String podIp) {
    boolean host = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
    return !host && podIp != null && !podIp.contains(":");
  }

  static boolean running(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getPodIP() != null;
  }

  void onPod(Pod p) {
    String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
    if (nodeName == null || running(p) || PodIndex.finished(p)) return;
    Node node = state.nodes.get(nodeName);
    String uid = p.getMetadata().getUid();
    if (node == null || uid == null || !started.add(uid)) return;
    List<String> hostIPs = new ArrayList<>();
    node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .forEach(a -> hostIPs.add(a.getAddress()));
    boolean dual =
        hostIPs.stream().anyMatch(ip -> ip.contains(":"))
            && hostIPs.stream().anyMatch(ip -> !ip.contains(":"));
    String[] ips = state.pools.podIPs(nodeName, state.indexOf(nodeName), dual);
    PodStatus status = status(p, hostIPs, ips, !(wiredReadiness && wired(p, ips[0])));
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    writer.mergePatch(
        "pod status " + name,
        c -> c.pods().inNamespace(ns).withName(name).subresource("status"),
        Serialization.asJson(Map.of("status", status)));
  }

  void forget(Pod p) {
    started.remove(p.getMetadata().getUid());
  }

  private static PodStatus status(Pod p, List<String> hostIPs, String[] ips, boolean ready) {
    String now = Instant.now().toString();
    List<PodCondition> conditions = new ArrayList<>();
    for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
      boolean met = ready || type.equals("PodScheduled") || type.equals("Initialized");
      conditions.add(
          new PodConditionBuilder()
              .withType(type)
              .withStatus(met ? "True" : "False")
              .withLastTransitionTime(now)
              .build());
    }
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase("Running")
            .withStartTime(now)
            .withConditions(conditions)
            .withPodIP(ips[0])
            .withHostIP(hostIPs.isEmpty() ? null : hostIPs.get(0))
            .withQosClass("BestEffort");
    for (String ip : ips) b.addToPodIPs(new PodIP(ip));
    for (String ip : hostIPs) b.addToHostIPs(new HostIP(ip));
    p.getSpec()
        .getContainers()
        .forEach(
            c ->
                b.addNewContainerStatus()
                    .withName(c.getName())
                    .withImage(c.getImage())
                    .withImageID("sim://" + c.getImage())
                    .withReady(ready)
                    .withStarted(true)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(now)
                    .endRunning()
                    .endState()
                    .endContainerStatus());
    return b.build();
  }
}
