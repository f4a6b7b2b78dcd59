package io.netsvc.k8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.netsvc.k8s.deploy.model.AddonClaim;
import io.netsvc.k8s.deploy.model.Ownership;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netsvc next to a K3s whose own CoreDNS is enabled: K3s's Addon {@code kube-system/coredns} (its
 * source in K3s's manifests directory) and the objects it applied exist before netsvc starts.
 * netsvc neither overwrites nor deletes them, says so once, keeps deploying its other manifests,
 * and takes CoreDNS over once K3s lets go of it.
 */
class K3sOwnedAddonIT extends DeployFlowBase {
  static final String K3S_SOURCE = "/var/lib/rancher/k3s/server/manifests/coredns.yaml";
  static final String K3S_COREFILE = ".:53 {\n    forward . /etc/resolv.conf # K3s's\n}\n";
  static final String HASH = Ownership.hash("coredns");

  @BeforeEach
  void k3sDeployedCoreDns() {
    GenericKubernetesResource addon =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(Addons.API_VERSION)
            .withKind("Addon")
            .withNewMetadata()
            .withName("coredns")
            .withNamespace("kube-system")
            .addToAnnotations("addon.k3s.cattle.io/gvks", "/v1, Kind=ConfigMap;/v1, Kind=Service")
            .endMetadata()
            .build();
    addon.setAdditionalProperty("spec", Map.of("source", K3S_SOURCE, "checksum", "k3s-sum"));
    client.genericKubernetesResources(Addons.RESOURCE).resource(addon).create();
    client.configMaps().resource(k3sConfigMap("coredns", K3S_COREFILE)).create();
    // in K3s's copy only: netsvc's manifest does not list it, so netsvc must not prune it either
    client.configMaps().resource(k3sConfigMap("coredns-k3s-only", "# K3s's\n")).create();
    client
        .services()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("kube-dns")
                .withNamespace("kube-system")
                .withLabels(Map.of(Ownership.HASH_LABEL, HASH))
                .withAnnotations(k3sOwner())
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.43.0.10")
                .withSelector(Map.of("k8s-app", "kube-dns"))
                .addNewPort()
                .withName("dns")
                .withPort(53)
                .withProtocol("UDP")
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  static Map<String, String> k3sOwner() {
    return Map.of(
        Ownership.OWNER_GVK, Ownership.ADDON_GVK,
        Ownership.OWNER_NAME, "coredns",
        Ownership.OWNER_NAMESPACE, "kube-system");
  }

  static ConfigMap k3sConfigMap(String name, String corefile) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("kube-system")
        .withLabels(Map.of(Ownership.HASH_LABEL, HASH))
        .withAnnotations(k3sOwner())
        .endMetadata()
        .withData(Map.of("Corefile", corefile))
        .build();
  }

  String corefile() {
    return configMap("kube-system", "coredns").getData().get("Corefile");
  }

  @Test
  void coreDnsEnabledInBothLeavesK3sCopyAloneAndSaysSoOnce() {
    String addonVersion = addon("coredns").getMetadata().getResourceVersion();
    String mapVersion = configMap("kube-system", "coredns").getMetadata().getResourceVersion();
    Staging.stage(dir, VARS, Set.of());

    PassResult first = pass(Set.of(), true);

    assertThat(first).isEqualTo(new PassResult(1, 0, 0, 0, 1)); // traefik applied, coredns not
    assertThat(addon("coredns").getMetadata().getResourceVersion()).isEqualTo(addonVersion);
    assertThat(spec(addon("coredns"))).containsEntry("source", K3S_SOURCE);
    assertThat(configMap("kube-system", "coredns").getMetadata().getResourceVersion())
        .isEqualTo(mapVersion);
    assertThat(client.apps().deployments().inNamespace("kube-system").withName("coredns").get())
        .isNull();
    assertThat(events("coredns", "AddonConflict"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Addon");
              assertThat(e.getMessage())
                  .startsWith("Addon kube-system/coredns belongs to K3s (source " + K3S_SOURCE)
                  .contains("start K3s with --disable=coredns")
                  .contains("start netsvc with --disable=coredns");
            });
    // netsvc's own Addon works as before
    assertThat(spec(addon("traefik")))
        .containsEntry("source", dir.resolve("traefik.yaml").toString());
    assertThat(events("traefik", "AppliedManifest")).hasSize(1);

    // a conflict is not a failure (passes stop being forced) and is told once, not every pass
    assertThat(first.clean()).isTrue();
    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(0, 1, 0, 0, 1));
    assertThat(count("coredns", "AddonConflict")).isEqualTo(1);
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
  }

  @Test
  void disablingCoreDnsInNetsvcDeletesNeitherK3sAddonNorItsObjects() throws Exception {
    Path file = write("coredns.yaml", Staging.template("coredns.yaml"));

    PassResult withFile = pass(Set.of("coredns"), true);
    PassResult withoutFile = pass(Set.of("coredns"), true);

    assertThat(withFile.removed()).isEqualTo(1); // netsvc's own file only
    assertThat(file).doesNotExist();
    assertThat(withoutFile).isEqualTo(new PassResult(0, 0, 0, 0));
    assertThat(spec(addon("coredns"))).containsEntry("source", K3S_SOURCE);
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
    assertThat(configMap("kube-system", "coredns-k3s-only")).isNotNull();
    assertThat(client.services().inNamespace("kube-system").withName("kube-dns").get()).isNotNull();
    assertThat(events("coredns", "DeletingManifest")).isEmpty();
  }

  @Test
  void whenK3sLetsGoNetsvcTakesCoreDnsOverWithoutAFileChange() {
    Staging.stage(dir, VARS, Set.of());
    pass(Set.of(), true);
    // K3s restarted with --disable=coredns: it deletes its objects and its Addon
    client.configMaps().inNamespace("kube-system").withName("coredns").delete();
    client.services().inNamespace("kube-system").withName("kube-dns").delete();
    client
        .genericKubernetesResources(Addons.RESOURCE)
        .inNamespace("kube-system")
        .withName("coredns")
        .delete();

    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(1, 1, 0, 0, 0));

    GenericKubernetesResource addon = addon("coredns");
    String ours = dir.resolve("coredns.yaml").toString();
    assertThat(spec(addon)).containsEntry("source", ours);
    assertThat(addon.getMetadata().getAnnotations())
        .containsEntry(AddonClaim.SOURCE_ANNOTATION, ours);
    assertThat(corefile()).contains("kubernetes cluster.local");
    assertThat(configMap("kube-system", "coredns").getMetadata().getAnnotations())
        .containsEntry(AddonClaim.APPLIED_BY, AddonClaim.NETSVC);
    assertThat(client.apps().deployments().inNamespace("kube-system").withName("coredns").get())
        .isNotNull();
  }

  @Test
  void objectsK3sAppliedAreNotPrunedByNetsvcsAddonOfTheSameName() {
    // K3s's Addon was deleted by hand; its objects stayed (Addons own objects by label only)
    client
        .genericKubernetesResources(Addons.RESOURCE)
        .inNamespace("kube-system")
        .withName("coredns")
        .delete();
    Staging.stage(dir, VARS, Set.of("traefik"));

    assertThat(pass(Set.of("traefik"), true)).isEqualTo(new PassResult(1, 0, 0, 0, 0));
    assertThat(corefile()).contains("kubernetes cluster.local"); // netsvc's copy applied over
    assertThat(configMap("kube-system", "coredns-k3s-only")).isNotNull(); // not pruned

    // and disabling it in netsvc removes what netsvc applied, not what only K3s did
    assertThat(dir.resolve("coredns.yaml")).exists();
    assertThat(pass(Set.of("traefik", "coredns"), true).removed()).isEqualTo(1);
    assertThat(addon("coredns")).isNull();
    assertThat(configMap("kube-system", "coredns")).isNull();
    assertThat(configMap("kube-system", "coredns-k3s-only")).isNotNull();
  }

  @Test
  void anAddonK3sTookOverFromNetsvcIsLeftToK3s() {
    Staging.stage(dir, VARS, Set.of("traefik"));
    client
        .genericKubernetesResources(Addons.RESOURCE)
        .inNamespace("kube-system")
        .withName("coredns")
        .delete();
    pass(Set.of("traefik"), true);
    // K3s restarted with CoreDNS enabled: it rewrites the source, keeps netsvc's annotation
    client
        .genericKubernetesResources(Addons.RESOURCE)
        .inNamespace("kube-system")
        .withName("coredns")
        .edit(
            a -> {
              a.setAdditionalProperty("spec", Map.of("source", K3S_SOURCE, "checksum", "k3s"));
              return a;
            });
    client
        .configMaps()
        .inNamespace("kube-system")
        .withName("coredns")
        .edit(c -> new ConfigMapBuilder(c).withData(Map.of("Corefile", K3S_COREFILE)).build());

    PassResult forced = new ManifestDeployer(addons).pass(dir, Set.of("traefik"), true);

    assertThat(forced.conflicts()).isEqualTo(1);
    assertThat(corefile()).isEqualTo(K3S_COREFILE);
    assertThat(spec(addon("coredns"))).containsEntry("source", K3S_SOURCE);
    assertThat(events("coredns", "AddonConflict")).extracting(Event::getType).contains("Warning");
  }
}
