package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What kubectl needs before it touches a resource: discovery, OpenAPI, JSON, kubeconfig. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimApiDiscoveryIT {
  SimApiServer api;
  KubectlHttp http;

  @BeforeAll
  void start() {
    api = SimApiServer.start("127.0.0.1", 0);
    http = new KubectlHttp(api.url());
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  @Test
  void legacyDiscoveryListsGroupsAndResourcesWithShortNames() {
    assertThat(http.getJson("/api", "application/json").path("versions").toString()).contains("v1");
    JsonNode groups = http.getJson("/apis", "application/json");
    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(names(groups.path("groups"), "name"))
        .contains(
            "apps",
            "discovery.k8s.io",
            "events.k8s.io",
            "rbac.authorization.k8s.io",
            "apiextensions.k8s.io",
            "helm.cattle.io",
            "k3s.cattle.io");

    JsonNode core = http.getJson("/api/v1", "application/json");
    assertThat(resource(core, "services").path("shortNames").toString()).contains("svc");
    assertThat(resource(core, "services").path("namespaced").asBoolean()).isTrue();
    assertThat(resource(core, "nodes").path("namespaced").asBoolean()).isFalse();
    assertThat(resource(core, "nodes").path("shortNames").toString()).contains("no");
    assertThat(resource(core, "services/status").path("verbs").toString()).contains("patch");
    assertThat(resource(core, "pods").path("verbs").toString()).contains("watch", "list", "create");
    JsonNode apps = http.getJson("/apis/apps/v1", "application/json");
    assertThat(resource(apps, "daemonsets").path("shortNames").toString()).contains("ds");
    assertThat(resource(apps, "deployments").path("shortNames").toString()).contains("deploy");
    JsonNode helm = http.getJson("/apis/helm.cattle.io/v1", "application/json");
    assertThat(resource(helm, "helmchartconfigs").path("kind").asText())
        .isEqualTo("HelmChartConfig");
    assertThat(http.get("/apis/nope.example.com/v1", "application/json").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aggregatedDiscoveryIsServedWhenKubectlAsksForIt() {
    HttpResponse<String> r = http.get("/apis", KubectlHttp.DISCOVERY_ACCEPT);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(DiscoveryDocs.AGGREGATED_V2);
    JsonNode doc = Json.parse(r.body());
    assertThat(doc.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    JsonNode apps =
        find(doc.path("items"), i -> i.path("metadata").path("name").asText().equals("apps"));
    JsonNode ds =
        find(
            apps.path("versions").get(0).path("resources"),
            res -> res.path("resource").asText().equals("daemonsets"));
    assertThat(ds.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(ds.path("shortNames").toString()).contains("ds");
    assertThat(ds.path("subresources").get(0).path("subresource").asText()).isEqualTo("status");
    JsonNode core = Json.parse(http.get("/api", KubectlHttp.DISCOVERY_ACCEPT).body());
    assertThat(core.path("items").get(0).path("versions").get(0).path("resources").toString())
        .contains("\"resource\":\"endpoints\"", "\"resource\":\"serviceaccounts\"");
  }

  @Test
  void storedCrdsAppearInDiscovery() {
    String crd =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Cluster",
          "names":{"kind":"Widget","plural":"widgets","singular":"widget","shortNames":["wd"]},
          "versions":[{"name":"v1","served":true,"storage":true}]}}""";
    assertThat(http.send("POST", SimDispatcher.CRDS, "application/json", crd).statusCode())
        .isEqualTo(201);
    JsonNode list = http.getJson("/apis/example.com/v1", "application/json");
    assertThat(resource(list, "widgets").path("namespaced").asBoolean()).isFalse();
    assertThat(resource(list, "widgets").path("shortNames").toString()).contains("wd");
    assertThat(
            http.getJson("/openapi/v3", "application/json")
                .path("paths")
                .has("apis/example.com/v1"))
        .isTrue();
  }

  @Test
  void openApiV3DeclaresFieldValidationOnEveryPatchSoKubectlValidatesServerSide() {
    JsonNode index = http.getJson("/openapi/v3", "application/json");
    String url = index.path("paths").path("api/v1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/api/v1?hash=");
    JsonNode doc = http.getJson(url, "application/json");
    JsonNode patch =
        doc.path("paths").path("/api/v1/namespaces/{namespace}/services/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Service");
    assertThat(names(patch.path("parameters"), "name")).contains("fieldValidation");
    assertThat(doc.path("components").isObject()).isTrue();
    // kubectl's create and patch carry the parameter; the sim must accept it.
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fv\"}}";
    assertThat(
            http.send(
                    "POST",
                    "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-client-side-apply"
                        + "&fieldValidation=Strict",
                    "application/json",
                    cm)
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void everyJsonResponseSaysApplicationJson() {
    api.client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("ct")
                .endMetadata()
                .addToData("a", "b")
                .build())
        .create();
    List<HttpResponse<String>> responses =
        List.of(
            http.get("/api/v1/namespaces/default/configmaps/ct", "application/json"),
            http.get("/api/v1/namespaces/default/configmaps", "application/json"),
            http.get("/api/v1/namespaces/default/configmaps/missing", "application/json"),
            http.send(
                "PUT",
                "/api/v1/namespaces/default/configmaps/ct",
                "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ct\"},\"data\":{\"a\":\"c\"}}"),
            http.get("/version", "application/json"));
    for (HttpResponse<String> r : responses) {
      assertThat(r.headers().firstValue("Content-Type"))
          .as(r.uri().toString())
          .hasValue("application/json");
    }
    JsonNode list = Json.parse(responses.get(1).body());
    assertThat(list.path("kind").asText()).isEqualTo("ConfigMapList");
    JsonNode notFound = Json.parse(responses.get(2).body());
    assertThat(notFound.path("reason").asText()).isEqualTo("NotFound");
    assertThat(notFound.path("message").asText()).isEqualTo("configmaps \"missing\" not found");
  }

  @Test
  void protobufBodiesGetA415ThatSaysWhatToDoInstead() {
    byte[] body = "k8s\0\n\u0002v1\u0012\u0007Service".getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> r =
        http.send(
            "POST",
            "/api/v1/namespaces/default/services",
            "application/vnd.kubernetes.protobuf",
            body);
    assertThat(r.statusCode()).isEqualTo(415);
    JsonNode status = Json.parse(r.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "netsvc sim: protobuf request bodies are not supported; write the object as YAML and use kubectl apply -f");
  }

  @Test
  void startsWithTheNamespacesKubectlUsersExpect() {
    assertThat(api.client().namespaces().list().getItems())
        .extracting(ns -> ns.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
  }

  @Test
  void kubeconfigWorksForAClientThatOnlyReadsTheFile(@TempDir Path dir) throws Exception {
    Path file = api.writeKubeconfig(dir.resolve("nested/dir/kubeconfig"));
    assertThat(file).isAbsolute().exists();
    String yaml = Files.readString(file);
    assertThat(yaml).contains("server: " + api.url(), "current-context: netsvc-sim");
    try (KubernetesClient c =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build()) {
      assertThat(c.getNamespace()).isEqualTo("default");
      assertThat(c.namespaces().withName("kube-system").get()).isNotNull();
    }
  }

  @Test
  void createdObjectsGetDistinctRealLookingUids() {
    String a =
        api.client()
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("uid-a").endMetadata().build())
            .create()
            .getMetadata()
            .getUid();
    String b =
        api.client()
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("uid-b").endMetadata().build())
            .create()
            .getMetadata()
            .getUid();
    // K3s names svclb DaemonSets after the first 8 characters of the Service UID.
    assertThat(a.substring(0, 8)).isNotEqualTo(b.substring(0, 8));
    assertThat(
            api.client()
                .configMaps()
                .inNamespace("default")
                .withName("uid-a")
                .get()
                .getMetadata()
                .getUid())
        .isEqualTo(a);
  }

  private static JsonNode resource(JsonNode resourceList, String name) {
    return find(resourceList.path("resources"), r -> r.path("name").asText().equals(name));
  }

  private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> p) {
    for (JsonNode n : array) if (p.test(n)) return n;
    throw new AssertionError("not found in " + array);
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }
}
