package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** kubectl get/label/annotate/apply/describe/watch, as the HTTP requests kubectl sends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimApiKubectlFlowIT {
  static final String SVC = "/api/v1/namespaces/default/services";
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

  private Service createLb(String name) {
    return api.client()
        .services()
        .inNamespace("default")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .addToSelector("app", name)
                .addNewPort()
                .withPort(80)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  @Test
  void getSvcShowsPendingUntilTheLoadBalancerHasIngressThenItsIps() {
    Service created = createLb("table-web");
    // allocated by the API on create, from the service CIDR and the NodePort range
    String clusterIP = created.getSpec().getClusterIP();
    int nodePort = created.getSpec().getPorts().get(0).getNodePort();
    assertThat(clusterIP).startsWith("10.43.");
    assertThat(nodePort).isBetween(30000, 32767);
    JsonNode table = http.getJson(SVC + "?limit=500", KubectlHttp.TABLE_ACCEPT);
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
    JsonNode row = row(table, "table-web");
    assertThat(row.path("cells").get(1).asText()).isEqualTo("LoadBalancer");
    assertThat(row.path("cells").get(2).asText()).isEqualTo(clusterIP);
    assertThat(row.path("cells").get(3).asText()).isEqualTo("<pending>");
    assertThat(row.path("cells").get(4).asText()).isEqualTo("80:" + nodePort + "/TCP");
    assertThat(row.path("cells").get(6).asText()).isEqualTo("app=table-web");
    // Default includeObject=Metadata: kubectl -A reads the namespace from here.
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("default");

    HttpResponse<String> status =
        http.send(
            "PATCH",
            SVC + "/table-web/status",
            "application/merge-patch+json",
            "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.168.1.12\"},{\"ip\":\"192.168.1.11\"}]}}}");
    assertThat(status.statusCode()).isEqualTo(200);
    HttpResponse<String> single =
        http.get(SVC + "/table-web?includeObject=Object", KubectlHttp.TABLE_ACCEPT);
    assertThat(single.headers().firstValue("Content-Type"))
        .hasValue("application/json;as=Table;v=v1;g=meta.k8s.io");
    JsonNode one = Json.parse(single.body()).path("rows").get(0);
    assertThat(one.path("cells").get(3).asText()).isEqualTo("192.168.1.11,192.168.1.12");
    assertThat(one.path("object").path("kind").asText()).isEqualTo("Service");
  }

  @Test
  void labelAndAnnotateSendStrategicMergePatches() {
    createLb("labels");
    HttpResponse<String> r =
        http.send(
            "PATCH",
            SVC + "/labels?fieldManager=kubectl-label",
            KubectlHttp.SMP,
            "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).path("metadata").path("labels").path("a").asText())
        .isEqualTo("b");
    http.send(
        "PATCH",
        SVC + "/labels",
        KubectlHttp.SMP,
        "{\"metadata\":{\"annotations\":{\"note\":\"x\"}}}");
    http.send(
        "PATCH", SVC + "/labels", KubectlHttp.SMP, "{\"metadata\":{\"labels\":{\"app\":null}}}");
    Service stored = api.client().services().inNamespace("default").withName("labels").get();
    assertThat(stored.getMetadata().getLabels()).containsExactly(java.util.Map.entry("a", "b"));
    assertThat(stored.getMetadata().getAnnotations()).containsEntry("note", "x");
    assertThat(stored.getSpec().getPorts()).hasSize(1);

    HttpResponse<String> stale =
        http.send(
            "PATCH",
            SVC + "/labels",
            "application/merge-patch+json",
            "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"c\":\"d\"}}}");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(
            api.client()
                .services()
                .inNamespace("default")
                .withName("labels")
                .get()
                .getMetadata()
                .getLabels())
        .doesNotContainKey("c");
  }

  @Test
  void applyMergesContainersByNameAndKeepsTheOthers() {
    String deploy =
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"web","image":"nginx:1.27","env":[{"name":"A","value":"1"}]},
                                {"name":"sidecar","image":"busybox"}]}}}}""";
    String path = "/apis/apps/v1/namespaces/default/deployments";
    assertThat(http.send("POST", path, "application/json", deploy).statusCode()).isEqualTo(201);
    String patch =
        """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"name":"web","image":"nginx:1.28",
                         "$setElementOrder/env":[{"name":"B"},{"name":"A"}],"env":[{"name":"B","value":"2"}]}]}}}}""";
    HttpResponse<String> r =
        http.send(
            "PATCH",
            path + "/web?fieldManager=kubectl-client-side-apply" + "&fieldValidation=Strict",
            KubectlHttp.SMP,
            patch);
    assertThat(r.statusCode()).isEqualTo(200);
    List<Container> containers =
        api.client()
            .apps()
            .deployments()
            .inNamespace("default")
            .withName("web")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("web", "sidecar");
    assertThat(containers.get(0).getImage()).isEqualTo("nginx:1.28");
    assertThat(containers.get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(tuple("B", "2"), tuple("A", "1"));
    assertThat(containers.get(1).getImage()).isEqualTo("busybox");
  }

  @Test
  void describeFindsEventsByInvolvedObjectFieldSelector() {
    Service svc = createLb("described");
    String uid = svc.getMetadata().getUid();
    for (String target : List.of("described", "other")) {
      String ev =
          "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\""
              + target
              + ".1\"},"
              + "\"involvedObject\":{\"kind\":\"Service\",\"name\":\""
              + target
              + "\",\"namespace\":\"default\","
              + "\"uid\":\""
              + uid
              + "\"},\"reason\":\"AppliedDaemonSet\",\"type\":\"Normal\",\"message\":\"m\"}";
      http.send("POST", "/api/v1/namespaces/default/events", "application/json", ev);
    }
    String selector =
        "involvedObject.name%3Ddescribed,involvedObject.namespace%3Ddefault,"
            + "involvedObject.kind%3DService,involvedObject.uid%3D"
            + uid;
    JsonNode list =
        http.getJson(
            "/api/v1/namespaces/default/events?fieldSelector=" + selector + "&limit=500",
            "application/vnd.kubernetes.protobuf, */*");
    assertThat(list.path("kind").asText()).isEqualTo("EventList");
    assertThat(list.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("described.1");
    JsonNode table = http.getJson("/api/v1/namespaces/default/events", KubectlHttp.TABLE_ACCEPT);
    assertThat(row(table, "described.1").path("cells").get(3).asText())
        .isEqualTo("service/described");
  }

  @Test
  void deleteCollectionHonoursSetBasedSelectors() {
    for (String tier : List.of("x", "y")) {
      api.client()
          .services()
          .inNamespace("default")
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("dc-" + tier)
                  .addToLabels("tier", tier)
                  .endMetadata()
                  .withNewSpec()
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
    HttpResponse<String> r =
        http.send("DELETE", SVC + "?labelSelector=tier%20in%20(x)", "application/json", "{}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(api.client().services().inNamespace("default").withName("dc-x").get()).isNull();
    assertThat(api.client().services().inNamespace("default").withName("dc-y").get()).isNotNull();
  }

  @Test
  void fabric8WatchesStillWork() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch w =
        api.client()
            .services()
            .inNamespace("default")
            .withLabel("app", "watched")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Service s) {
                    seen.add(action + " " + s.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      createLb("watched");
      api.client()
          .services()
          .inNamespace("default")
          .withName("watched")
          .edit(
              s ->
                  new ServiceBuilder(s)
                      .editMetadata()
                      .addToAnnotations("x", "y")
                      .endMetadata()
                      .build());
      createLb("unrelated");
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
      assertThat(seen).containsExactly("ADDED watched", "MODIFIED watched");
    }
  }

  @Test
  void fabric8InformersSeeEachObjectOnce() throws Exception {
    createLb("inf-before");
    List<String> added = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Service> informer =
        api.newClient()
            .services()
            .inNamespace("default")
            .withLabelIn("app", "inf-before", "inf-after")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Service s) {
                    added.add(s.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(Service o, Service n) {}

                  @Override
                  public void onDelete(Service s, boolean unknown) {}
                },
                0);
    try (informer) {
      informer.start().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      createLb("inf-after");
      createLb("inf-other");
      await().atMost(Duration.ofSeconds(10)).until(() -> added.contains("inf-after"));
      assertThat(added).containsExactly("inf-before", "inf-after");
    }
  }

  @Test
  void kubectlStyleHttpWatchStreamsTableRows() throws Exception {
    createLb("streamed-a");
    String rv =
        http.getJson(SVC, "application/json").path("metadata").path("resourceVersion").asText();
    HttpRequest req =
        HttpRequest.newBuilder(
                http.uri(
                    SVC
                        + "?watch=true&resourceVersion="
                        + rv
                        + "&labelSelector=app%20in%20(streamed-a,streamed-b)&timeoutSeconds=20"))
            .header("Accept", KubectlHttp.TABLE_ACCEPT)
            .GET()
            .build();
    HttpResponse<InputStream> resp =
        http.client().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(resp.statusCode()).isEqualTo(200);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      createLb("streamed-b");
      createLb("streamed-c");
      JsonNode event = Json.parse(lines.readLine());
      // streamed-a was listed before (rv), streamed-c does not match the set-based selector.
      assertThat(event.path("type").asText()).isEqualTo("ADDED");
      assertThat(event.path("object").path("kind").asText()).isEqualTo("Table");
      assertThat(event.path("object").path("rows").get(0).path("cells").get(0).asText())
          .isEqualTo("streamed-b");
      api.client().services().inNamespace("default").withName("streamed-b").delete();
      assertThat(Json.parse(lines.readLine()).path("type").asText()).isEqualTo("DELETED");
    }
  }

  private static JsonNode row(JsonNode table, String name) {
    for (JsonNode r : table.path("rows")) {
      if (r.path("object").path("metadata").path("name").asText().equals(name)) return r;
    }
    throw new AssertionError(name + " not in " + table);
  }
}
