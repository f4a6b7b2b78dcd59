package io.netsvc.actors.servicelb.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.netsvc.config.ip.IpFamily;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;

/**
 * The svclb DaemonSet exactly as K3s's {@code newDaemonSet} renders it
 * (docs/k3s-and-kube-router.md), without wrangler's objectset annotations. netsvc addition: an
 * optional {@code metadata.name In [...]} node affinity that keeps the pods on the nodes whose port
 * ledger granted the Service's ports.
 */
public final class DaemonSetRenderer {
  private DaemonSetRenderer() {}

  /** Where and with what the DaemonSet runs. */
  public record RenderOptions(String lbNamespace, String image, String defaultPriorityClassName) {}

  /**
   * @param allowListMode some node has the enablelb label: K3s's nodeSelector (+ lbpool)
   * @param affinityNodes non-null: only these nodes (netsvc: where the ledger granted the ports);
   *     null: no affinity
   * @throws IllegalArgumentException for an invalid tolerations annotation or source range
   */
  public static DaemonSet render(
      ServiceInfo svc, RenderOptions opts, boolean allowListMode, SortedSet<String> affinityNodes) {
    String name = SvclbNames.daemonSetName(svc.name(), svc.uid());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SvclbNames.NODESELECTOR_LABEL, String.valueOf(allowListMode));
    labels.put(SvclbNames.SVCNAME_LABEL, svc.name());
    labels.put(SvclbNames.SVCNAMESPACE_LABEL, svc.namespace());
    Map<String, String> podLabels = new LinkedHashMap<>();
    podLabels.put("app", name);
    podLabels.put(SvclbNames.SVCNAME_LABEL, svc.name());
    podLabels.put(SvclbNames.SVCNAMESPACE_LABEL, svc.namespace());
    String sourceRanges = SourceRanges.of(svc);
    List<Container> containers = new ArrayList<>();
    for (PortSpec p : svc.ports()) containers.add(container(svc, p, opts.image(), sourceRanges));
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withPriorityClassName(
                svc.annotations()
                    .getOrDefault(SvclbNames.PRIORITY_ANNOTATION, opts.defaultPriorityClassName()))
            .withServiceAccountName(SvclbNames.SERVICE_ACCOUNT)
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withSysctls(sysctls(svc))
            .endSecurityContext()
            .withTolerations(Tolerations.forService(svc))
            .withContainers(containers);
    if (allowListMode) {
      Map<String, String> selector = new LinkedHashMap<>();
      selector.put(SvclbNames.ENABLELB_LABEL, "true");
      String pool = svc.labels().getOrDefault(SvclbNames.LBPOOL_LABEL, "");
      if (!pool.isEmpty()) selector.put(SvclbNames.LBPOOL_LABEL, pool);
      pod.withNodeSelector(selector);
    }
    if (affinityNodes != null) {
      pod.withNewAffinity()
          .withNewNodeAffinity()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .withNodeSelectorTerms(
              new NodeSelectorTermBuilder()
                  .withMatchFields(
                      new NodeSelectorRequirementBuilder()
                          .withKey("metadata.name")
                          .withOperator("In")
                          .withValues(affinityNodes.stream().sorted().toList())
                          .build())
                  .build())
          .endRequiredDuringSchedulingIgnoredDuringExecution()
          .endNodeAffinity()
          .endAffinity();
    }
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(opts.lbNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(ServiceInfo svc, PortSpec p, String image, String ranges) {
    String portName = "lb-" + p.protocol().toLowerCase(Locale.ROOT) + "-" + p.port();
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("SRC_PORT", String.valueOf(p.port()), null));
    env.add(new EnvVar("SRC_RANGES", ranges, null));
    env.add(new EnvVar("DEST_PROTO", p.protocol(), null));
    if (svc.requestsOnlyLocalTraffic()) {
      env.add(new EnvVar("DEST_PORT", String.valueOf(p.nodePort()), null));
      env.add(
          new EnvVarBuilder()
              .withName("DEST_IPS")
              .withNewValueFrom()
              .withNewFieldRef()
              .withFieldPath("status.hostIPs")
              .endFieldRef()
              .endValueFrom()
              .build());
    } else {
      env.add(new EnvVar("DEST_PORT", String.valueOf(p.port()), null));
      env.add(new EnvVar("DEST_IPS", String.join(",", svc.clusterIPs()), null));
    }
    return new ContainerBuilder()
        .withName(portName)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .addNewPort()
        .withName(portName)
        .withContainerPort(p.port())
        .withHostPort(p.port())
        .withProtocol(p.protocol())
        .endPort()
        .withEnv(env)
        .withNewSecurityContext()
        .withNewCapabilities()
        .addToAdd("NET_ADMIN")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  private static List<Sysctl> sysctls(ServiceInfo svc) {
    List<Sysctl> out = new ArrayList<>();
    for (String family : svc.ipFamilies()) {
      if (IpFamily.IPV4.kubernetesName().equals(family))
        out.add(new Sysctl("net.ipv4.ip_forward", "1"));
      if (IpFamily.IPV6.kubernetesName().equals(family))
        out.add(new Sysctl("net.ipv6.conf.all.forwarding", "1"));
    }
    return out;
  }
}
