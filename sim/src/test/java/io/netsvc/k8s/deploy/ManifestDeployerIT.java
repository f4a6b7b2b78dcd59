package io.netsvc.k8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.netsvc.k8s.deploy.model.Ownership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Files in, objects and events out: the deployer's everyday flows against the embedded API. */
class ManifestDeployerIT extends DeployFlowBase {

  @Test
  void multiDocumentFileBecomesObjectsOwnedByAnAddon() throws Exception {
    Path file = write("app.yaml", TWO_MAPS_AND_A_SECRET);

    assertThat(pass(Set.of(), true)).isEqualTo(new PassResult(1, 0, 0, 0));

    ConfigMap a = configMap("default", "app-a");
    assertThat(a.getData()).containsEntry("colour", "blue");
    assertThat(a.getMetadata().getLabels())
        .containsEntry(Ownership.HASH_LABEL, Ownership.hash("app"));
    assertThat(a.getMetadata().getAnnotations())
        .containsEntry(Ownership.OWNER_GVK, "k3s.cattle.io/v1, Kind=Addon")
        .containsEntry(Ownership.OWNER_NAME, "app")
        .containsEntry(Ownership.OWNER_NAMESPACE, "kube-system");
    assertThat(configMap("kube-system", "app-b")).isNotNull();
    assertThat(client.secrets().inNamespace("default").withName("app-s").get()).isNotNull();

    GenericKubernetesResource addon = addon("app");
    assertThat(spec(addon))
        .containsEntry("source", file.toString())
        .containsEntry("checksum", AddonDeployer.sha256(Files.readAllBytes(file)));
    assertThat(addon.getMetadata().getAnnotations())
        .containsEntry("addon.k3s.cattle.io/gvks", "/v1, Kind=ConfigMap;/v1, Kind=Secret");
    assertThat(events("app", "ApplyingManifest"))
        .extracting(Event::getMessage)
        .containsExactly("Applying manifest at \"" + file + "\"");
    assertThat(events("app", "AppliedManifest"))
        .extracting(Event::getMessage)
        .containsExactly("Applied manifest at \"" + file + "\"");
    assertThat(events("app", "AppliedManifest").get(0).getSource().getComponent())
        .isEqualTo("deploy");
  }

  @Test
  void unchangedContentIsNotAppliedAgain() throws Exception {
    Path file = write("app.yaml", TWO_MAPS_AND_A_SECRET);
    pass(Set.of(), true);

    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(0, 1, 0, 0)); // same modTime
    touch(file);
    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(0, 1, 0, 0)); // same checksum
    // a restarted netsvc forces its first pass: applied again, without harm
    assertThat(new ManifestDeployer(addons).pass(dir, Set.of(), false))
        .isEqualTo(new PassResult(0, 1, 0, 0));
    assertThat(count("app", "ApplyingManifest")).isEqualTo(1);
  }

  @Test
  void editingTheFilePrunesWhatItNoLongerListsAndDropsRemovedKeys() throws Exception {
    write("app.yaml", TWO_MAPS_AND_A_SECRET);
    pass(Set.of(), false);

    write(
        "app.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-a}
        data: {colour: red}
        """);
    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(1, 0, 0, 0));

    assertThat(configMap("default", "app-a").getData()).isEqualTo(Map.of("colour", "red"));
    assertThat(configMap("kube-system", "app-b")).isNull();
    assertThat(client.secrets().inNamespace("default").withName("app-s").get()).isNull();
    assertThat(count("app", "ApplyingManifest")).isEqualTo(2);
  }

  @Test
  void deletingTheFileDeletesNothing() throws Exception {
    Path file = write("app.yaml", TWO_MAPS_AND_A_SECRET);
    pass(Set.of(), false);
    Files.delete(file);

    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(0, 0, 0, 0));
    assertThat(configMap("default", "app-a")).isNotNull();
    assertThat(addon("app")).isNotNull();
  }

  @Test
  void aSkipFileFreezesTheManifest() throws Exception {
    write("app.yaml", TWO_MAPS_AND_A_SECRET);
    pass(Set.of(), false);
    write("app.yaml.skip", "");
    write("app.yaml", TWO_MAPS_AND_A_SECRET.replace("blue", "green"));

    assertThat(pass(Set.of(), true).deployed()).isZero();
    assertThat(configMap("default", "app-a").getData()).containsEntry("colour", "blue");

    Files.delete(dir.resolve("app.yaml.skip"));
    assertThat(pass(Set.of(), false).deployed()).isEqualTo(1);
    assertThat(configMap("default", "app-a").getData()).containsEntry("colour", "green");
  }

  @Test
  void anUnparseableFileIsReportedAndTheOthersStillDeploy() throws Exception {
    Path bad = write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [oops\n");
    write("good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n");

    assertThat(pass(Set.of(), true)).isEqualTo(new PassResult(1, 0, 1, 0));

    assertThat(configMap("default", "good")).isNotNull();
    assertThat(events("bad", "ParseManifestFailed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).startsWith("Parse manifest at \"" + bad + "\" failed: ");
            });
  }

  @Test
  void anUnknownKindFailsThatObjectOnlyAndIsRetried() throws Exception {
    Path file =
        write(
            "mixed.yaml",
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: mixed}
            """);

    assertThat(pass(Set.of(), false)).isEqualTo(new PassResult(0, 0, 1, 0));

    assertThat(configMap("default", "mixed")).isNotNull();
    assertThat(events("mixed", "ApplyManifestFailed"))
        .extracting(Event::getMessage)
        .containsExactly(
            "Applying manifest at \""
                + file
                + "\" failed: Widget w: no matches for kind \"Widget\" in version"
                + " \"example.com/v1\"");
    assertThat(spec(addon("mixed")).get("checksum")).isEqualTo(""); // not recorded: retried
    assertThat(pass(Set.of(), false).failed()).isEqualTo(1);
  }

  @Test
  void anInvalidAddonNameIsReportedAndNothingIsApplied() throws Exception {
    Path file = write("my_app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n");

    assertThat(pass(Set.of(), true)).isEqualTo(new PassResult(0, 0, 1, 0));

    assertThat(configMap("default", "mine")).isNull();
    assertThat(addon("my_app")).isNull();
    assertThat(events("my_app", "ApplyManifestFailed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Addon");
              assertThat(e.getMessage())
                  .startsWith("Applying manifest at \"" + file + "\" failed: Addon.k3s.cattle.io")
                  .contains("a lowercase RFC 1123 subdomain must consist of");
            });
  }
}
