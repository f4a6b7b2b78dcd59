package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Helm controller would leave behind for the charts the sim knows: for the HelmChart {@code
 * kube-system/traefik} (staged by the manifest deployer) the chart's LoadBalancer Service {@code
 * traefik} on 80/443, which ServiceLB then serves like any other; removed again when the HelmChart
 * goes. No Helm runs and no Traefik pods are started.
 */
final class HelmChartSim {
  private static final Logger LOG = LoggerFactory.getLogger(HelmChartSim.class);
  static final String NAMESPACE = "kube-system";
  static final String CHART = "traefik";
  static final String MANAGED_BY = "netsvc.io/simulated-by";
  private static final ResourceDefinitionContext HELM_CHARTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("helm.cattle.io")
          .withVersion("v1")
          .withPlural("helmcharts")
          .withKind("HelmChart")
          .withNamespaced(true)
          .build();
  private static final Map<String, String> SELECTOR =
      Map.of(
          "app.kubernetes.io/name", "traefik",
          "app.kubernetes.io/instance", "traefik-kube-system");

  private final KubernetesClient client;

  HelmChartSim(KubernetesClient client) {
    this.client = client;
  }

  /** One reconcile; blocking (runs on a writer thread). */
  void check() {
    try {
      boolean chart = chartPresent();
      Service svc = client.services().inNamespace(NAMESPACE).withName(CHART).get();
      boolean ours = svc != null && "helm-chart".equals(labels(svc).get(MANAGED_BY));
      if (chart && svc == null) {
        client.services().inNamespace(NAMESPACE).resource(service()).create();
        LOG.info("sim: HelmChart {} installed: Service {}/{} created", CHART, NAMESPACE, CHART);
      } else if (!chart && ours) {
        client.services().inNamespace(NAMESPACE).withName(CHART).delete();
        LOG.info("sim: HelmChart {} gone: Service {}/{} deleted", CHART, NAMESPACE, CHART);
      }
    } catch (KubernetesClientException e) {
      LOG.debug("sim: helm chart check failed: {}", e.getMessage());
    }
  }

  private boolean chartPresent() {
    try {
      GenericKubernetesResource c =
          client
              .genericKubernetesResources(HELM_CHARTS)
              .inNamespace(NAMESPACE)
              .withName(CHART)
              .get();
      return c != null && c.getMetadata().getDeletionTimestamp() == null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return false; // no CRD yet
      throw e;
    }
  }

  private static Map<String, String> labels(Service s) {
    Map<String, String> l = s.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  /** The Service the Traefik chart renders (ports web/websecure, dual-stack preferred). */
  static Service service() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(CHART)
        .withNamespace(NAMESPACE)
        .addToLabels(SELECTOR)
        .addToLabels(MANAGED_BY, "helm-chart")
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withSelector(SELECTOR)
        .withIpFamilyPolicy("PreferDualStack")
        .addNewPort()
        .withName("web")
        .withPort(80)
        .withProtocol("TCP")
        .withTargetPort(new IntOrString("web"))
        .endPort()
        .addNewPort()
        .withName("websecure")
        .withPort(443)
        .withProtocol("TCP")
        .withTargetPort(new IntOrString("websecure"))
        .endPort()
        .endSpec()
        .build();
  }
}
