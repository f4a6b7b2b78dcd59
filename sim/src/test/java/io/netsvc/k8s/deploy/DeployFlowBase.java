package io.netsvc.k8s.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.deploy.model.TemplateVars;
import io.netsvc.sim.api.SimApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded API, a manifests directory and a deployer, fresh for each test, with the helpers the
 * deployer's flow tests share.
 */
abstract class DeployFlowBase {
  /** What the packaged manifests are rendered with (the defaults of the flags). */
  static final TemplateVars VARS = new TemplateVars(List.of("10.43.0.10"), "cluster.local", "");

  static final String TWO_MAPS_AND_A_SECRET =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: app-a}
      data: {colour: blue, size: L}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: app-b, namespace: kube-system}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: app-s}
      stringData: {token: t}
      """;

  @TempDir Path dir;
  SimApiServer api;
  KubernetesClient client;
  AddonDeployer addons;
  ManifestDeployer deployer;
  long clock = Instant.now().getEpochSecond();

  @BeforeEach
  void start() {
    api = SimApiServer.start("127.0.0.1", 0);
    client = api.client();
    addons = new AddonDeployer(client);
    addons.ensureCrds();
    deployer = new ManifestDeployer(addons);
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
  }

  PassResult pass(Set<String> disabled, boolean force) {
    return deployer.pass(dir, disabled, force);
  }

  Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    touch(file);
    return file;
  }

  // Each write gets its own modTime, as a real edit seconds later would.
  void touch(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(++clock)));
  }

  ConfigMap configMap(String ns, String name) {
    return client.configMaps().inNamespace(ns).withName(name).get();
  }

  GenericKubernetesResource addon(String name) {
    return client
        .genericKubernetesResources(Addons.RESOURCE)
        .inNamespace("kube-system")
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource o) {
    return (Map<String, Object>) o.getAdditionalProperties().get("spec");
  }

  List<Event> events(String addon, String reason) {
    return client.v1().events().inNamespace("kube-system").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> addon.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  int count(String addon, String reason) {
    return events(addon, reason).stream()
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }
}
