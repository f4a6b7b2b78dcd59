package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.config.SimNodeSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registers the scenario's nodes as a K3s kubelet would. With the cloud controller on, K3s starts
 * kubelets with {@code --cloud-provider=external}: the Node carries the uninitialized taint, the
 * annotation {@code alpha.kubernetes.io/provided-node-ip} and, until the cloud controller writes
 * the real list, only the kubelet's own addresses (its node IPs and hostname; no ExternalIP). With
 * it off, the kubelet has no cloud provider and registers untainted with the same addresses.
 */
final class SimNodes {
  static final String UNINITIALIZED = "node.cloudprovider.kubernetes.io/uninitialized";
  static final String PROVIDED_NODE_IP = "alpha.kubernetes.io/provided-node-ip";

  private SimNodes() {}

  static Node render(SimNodeSpec spec, List<String> podCidrs, boolean externalCloudProvider) {
    List<NodeAddress> addresses = new ArrayList<>();
    spec.internalIPs().forEach(ip -> addresses.add(new NodeAddress(ip, "InternalIP")));
    addresses.add(new NodeAddress(spec.name(), "Hostname"));
    List<Taint> taints = new ArrayList<>();
    spec.taints().forEach(t -> taints.add(new Taint(t.effect(), t.key(), null, t.value())));
    Map<String, String> annotations = new java.util.TreeMap<>();
    if (externalCloudProvider) {
      taints.add(new Taint("NoSchedule", UNINITIALIZED, null, "true"));
      annotations.put(PROVIDED_NODE_IP, String.join(",", spec.internalIPs()));
    }
    String now = Instant.now().toString();
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(spec.name())
        .withLabels(spec.labels())
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidrs.isEmpty() ? null : podCidrs.get(0))
        .withPodCIDRs(podCidrs)
        .withTaints(taints)
        .endSpec()
        .withNewStatus()
        .withAddresses(addresses)
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("kubelet is posting ready status")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .endCondition()
        .withNewNodeInfo()
        .withKubeletVersion("v1.32.4+netsvc-sim")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .withContainerRuntimeVersion("sim://1.0")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** Registers the nodes one by one, counting each in {@code registered} (progress of a start). */
  static void register(
      KubernetesClient client,
      List<SimNodeSpec> nodes,
      boolean externalCloudProvider,
      java.util.concurrent.atomic.AtomicLong registered) {
    for (int i = 0; i < nodes.size(); i++) {
      SimNodeSpec spec = nodes.get(i);
      // as the node IPAM controller assigns them: the CIDRs the simulated kubelet allocates from
      boolean dual = spec.internalIPs().stream().anyMatch(ip -> ip.contains(":"));
      List<String> podCidrs = SimControllers.podCidrs(i, dual);
      if (client.nodes().withName(spec.name()).get() == null) {
        client.nodes().resource(render(spec, podCidrs, externalCloudProvider)).create();
      }
      registered.incrementAndGet();
    }
  }
}
