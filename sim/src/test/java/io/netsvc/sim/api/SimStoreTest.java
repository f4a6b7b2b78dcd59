package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded API's object store: the rules clients and the simulated cluster rely on. */
class SimStoreTest {
  private final SimStore store = new SimStore(50);

  private static ResourcePath path(String p) {
    return ResourcePath.parse(p).orElseThrow();
  }

  private static ObjectNode configMap(String name, String value) {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    o.putObject("metadata").put("name", name);
    o.putObject("data").put("k", value);
    return o;
  }

  private SimStore.Result create(String ns, String name) {
    return store.create(
        path("/api/v1/namespaces/" + ns + "/configmaps"), configMap(name, "v"), false);
  }

  private static String rv(JsonNode o) {
    return o.path("metadata").path("resourceVersion").asText();
  }

  @Test
  void aNamespacedListHoldsOnlyThatNamespace() {
    create("a", "one");
    create("ab", "two");
    create("a", "three");
    assertThat(store.list(path("/api/v1/namespaces/a/configmaps")))
        .hasSize(2)
        .allMatch(s -> s.contains("\"namespace\":\"a\""));
    assertThat(store.list(path("/api/v1/configmaps"))).hasSize(3);
  }

  @Test
  void aSecondCreateOfTheSameNameIsAConflict() {
    assertThat(create("a", "one").code()).isEqualTo(201);
    assertThat(create("a", "one").code()).isEqualTo(409);
  }

  @Test
  void anUpdateWithAStaleResourceVersionIsRefused() {
    JsonNode created = create("a", "one").body();
    ObjectNode first = configMap("one", "x");
    first.with("metadata").put("resourceVersion", rv(created));
    assertThat(
            store.update(path("/api/v1/namespaces/a/configmaps/one"), first, false, false).code())
        .isEqualTo(200);
    ObjectNode stale = configMap("one", "y");
    stale.with("metadata").put("resourceVersion", rv(created));
    assertThat(
            store.update(path("/api/v1/namespaces/a/configmaps/one"), stale, false, false).code())
        .isEqualTo(409);
  }

  @Test
  void anUnchangedUpdateKeepsTheResourceVersion() {
    JsonNode created = create("a", "one").body();
    JsonNode same =
        store
            .update(
                path("/api/v1/namespaces/a/configmaps/one"), configMap("one", "v"), false, false)
            .body();
    assertThat(rv(same)).isEqualTo(rv(created));
  }

  @Test
  void generationCountsSpecChangesOnly() {
    ResourcePath svcs = path("/api/v1/namespaces/a/services");
    ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
    svc.putObject("metadata").put("name", "web");
    svc.putObject("spec").put("type", "ClusterIP");
    store.create(svcs, svc, false);
    ResourcePath web = path("/api/v1/namespaces/a/services/web");
    ObjectNode status = svc.deepCopy();
    status.putObject("status").putObject("loadBalancer");
    status.with("metadata").putObject("labels").put("x", "y");
    JsonNode afterStatus = store.update(web, status, false, false).body();
    assertThat(afterStatus.path("metadata").path("generation").asLong()).isEqualTo(1);
    ObjectNode spec = status.deepCopy();
    spec.with("spec").put("type", "LoadBalancer");
    spec.with("metadata").remove("resourceVersion");
    JsonNode afterSpec = store.update(web, spec, false, false).body();
    assertThat(afterSpec.path("metadata").path("generation").asLong()).isEqualTo(2);
  }

  @Test
  void finalizersHoldADeleteUntilTheLastIsRemoved() {
    ObjectNode cm = configMap("one", "v");
    cm.with("metadata").putArray("finalizers").add("example.com/keep");
    store.create(path("/api/v1/namespaces/a/configmaps"), cm, false);
    ResourcePath one = path("/api/v1/namespaces/a/configmaps/one");
    JsonNode marked = store.delete(one).body();
    assertThat(marked.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
    assertThat(store.get(one)).isPresent();
    ObjectNode released = (ObjectNode) marked.deepCopy();
    released.with("metadata").remove("finalizers");
    store.update(one, released, false, false);
    assertThat(store.get(one)).isEmpty();
  }

  @Test
  void statusKeptApartIsNeitherCreatedNorReplacedThroughTheObject() {
    ResourcePath addons = path("/apis/k3s.cattle.io/v1/namespaces/a/addons");
    ObjectNode addon = Json.object().put("apiVersion", "k3s.cattle.io/v1").put("kind", "Addon");
    addon.putObject("metadata").put("name", "x");
    addon.putObject("status").put("phase", "forged");
    JsonNode created = store.create(addons, addon, true).body();
    assertThat(created.has("status")).isFalse();
    ResourcePath x = path("/apis/k3s.cattle.io/v1/namespaces/a/addons/x/status");
    ObjectNode status = addon.deepCopy();
    status.putObject("status").put("phase", "real");
    store.update(x, status, true, true);
    ObjectNode forged = addon.deepCopy();
    store.update(path("/apis/k3s.cattle.io/v1/namespaces/a/addons/x"), forged, false, true);
    assertThat(Json.parse(store.get(x).orElseThrow()).path("status").path("phase").asText())
        .isEqualTo("real");
  }

  @Test
  void aWatchResumesAfterItsResourceVersion() {
    create("a", "before");
    long listed = store.resourceVersion();
    create("a", "after-1");
    create("b", "elsewhere");
    create("a", "after-2");
    Recorder ws = new Recorder();
    StoreWatch w =
        new StoreWatch(
            store,
            path("/api/v1/namespaces/a/configmaps?watch=true&resourceVersion=" + listed),
            null,
            "ConfigMap",
            null);
    w.onOpen(ws, null);
    store.delete(path("/api/v1/namespaces/a/configmaps/before"));
    assertThat(ws.events()).containsExactly("ADDED after-1", "ADDED after-2", "DELETED before");
  }

  @Test
  void aWatchFromATooOldResourceVersionIsToldToListAgain() {
    for (int i = 0; i < 60; i++) create("a", "cm-" + i);
    Recorder ws = new Recorder();
    new StoreWatch(
            store,
            path("/api/v1/namespaces/a/configmaps?watch=true&resourceVersion=2"),
            null,
            "",
            null)
        .onOpen(ws, null);
    assertThat(ws.sent).hasSize(1);
    JsonNode error = Json.parse(ws.sent.get(0));
    assertThat(error.path("type").asText()).isEqualTo("ERROR");
    assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
    assertThat(ws.closed).isTrue();
  }

  @Test
  void aWatchWithoutResourceVersionStartsWithEveryMatchingObject() {
    create("a", "one");
    ObjectNode labelled = configMap("two", "v");
    labelled.with("metadata").putObject("labels").put("app", "web");
    store.create(path("/api/v1/namespaces/a/configmaps"), labelled, false);
    Recorder ws = new Recorder();
    new StoreWatch(
            store,
            path("/api/v1/configmaps?watch=true&labelSelector=app%3Dweb"),
            null,
            "",
            "kubectl")
        .onOpen(ws, null);
    assertThat(ws.events()).containsExactly("ADDED two");
    assertThat(store.openWatches("kubectl")).isEqualTo(java.util.Map.of("configmaps", 1));
    assertThat(store.openWatches("someone-else")).isEmpty();
  }

  /** The far end of a watch: what was sent, in order. */
  private static final class Recorder implements WebSocket {
    final List<String> sent = new ArrayList<>();
    boolean closed;

    List<String> events() {
      return sent.stream()
          .map(Json::parse)
          .map(
              e ->
                  e.path("type").asText()
                      + " "
                      + e.path("object").path("metadata").path("name").asText())
          .toList();
    }

    @Override
    public RecordedRequest request() {
      return null;
    }

    @Override
    public boolean send(String text) {
      sent.add(text);
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      closed = true;
      return true;
    }
  }
}
