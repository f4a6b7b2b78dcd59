package io.netsvc.k8s.deploy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The CustomResourceDefinitions the deployer needs: K3s' {@code Addon}, and the helm-controller's
 * {@code HelmChart} and {@code HelmChartConfig} (so traefik.yaml applies even before a Helm
 * controller runs). Existing definitions are left as they are.
 */
final class AddonCrds {
  private static final Duration POLL = Duration.ofMillis(200);

  private AddonCrds() {}

  static List<CustomResourceDefinition> all() {
    JSONSchemaProps addonSpec =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withProperties(
                Map.of(
                    "source", new JSONSchemaPropsBuilder().withType("string").build(),
                    "checksum", new JSONSchemaPropsBuilder().withType("string").build()))
            .build();
    return List.of(
        crd(
            "k3s.cattle.io",
            "Addon",
            "addons",
            object(Map.of("spec", addonSpec)),
            false,
            List.of(column("Source", ".spec.source"), column("Checksum", ".spec.checksum"))),
        crd(
            "helm.cattle.io",
            "HelmChart",
            "helmcharts",
            object(Map.of("spec", open(), "status", open())),
            true,
            List.of(
                column("Job", ".status.jobName"),
                column("Chart", ".spec.chart"),
                column("TargetNamespace", ".spec.targetNamespace"),
                column("Version", ".spec.version"),
                column("Repo", ".spec.repo"))),
        crd(
            "helm.cattle.io",
            "HelmChartConfig",
            "helmchartconfigs",
            object(Map.of("spec", open())),
            false,
            List.of()));
  }

  /** Creates the missing definitions and waits until discovery serves all of them. */
  static void ensure(KubernetesClient client, Discovery discovery, Duration timeout) {
    for (CustomResourceDefinition crd : all()) {
      var ref = client.apiextensions().v1().customResourceDefinitions().resource(crd);
      if (ref.get() != null) continue;
      try {
        ref.create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (CustomResourceDefinition crd : all()) {
      String apiVersion = crd.getSpec().getGroup() + "/v1";
      String plural = crd.getSpec().getNames().getPlural();
      while (!discovery.serves(apiVersion, plural)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "API server does not serve " + plural + "." + apiVersion + " after " + timeout);
        }
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + plural, e);
        }
      }
    }
  }

  private static CustomResourceDefinition crd(
      String group,
      String kind,
      String plural,
      JSONSchemaProps schema,
      boolean statusSubresource,
      List<CustomResourceColumnDefinition> columns) {
    var version =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(plural + "." + group)
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope("Namespaced")
            .withNewNames()
            .withKind(kind)
            .withListKind(kind + "List")
            .withPlural(plural)
            .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withOpenAPIV3Schema(schema)
            .endSchema()
            .withAdditionalPrinterColumns(columns);
    if (statusSubresource)
      version = version.withNewSubresources().withNewStatus().endStatus().endSubresources();
    return version.endVersion().endSpec().build();
  }

  private static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
    return new JSONSchemaPropsBuilder().withType("object").withProperties(properties).build();
  }

  private static JSONSchemaProps open() {
    return new JSONSchemaPropsBuilder()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .build();
  }

  private static CustomResourceColumnDefinition column(String name, String path) {
    return new CustomResourceColumnDefinitionBuilder()
        .withName(name)
        .withType("string")
        .withJsonPath(path)
        .build();
  }
}
