package io.netsvc.k8s.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher plus what kubectl needs of an API server: discovery, OpenAPI for
 * apply's validation check, Tables, strategic-merge patches, full selectors, typed list kinds,
 * Status bodies and JSON content types. Plain CRUD requests (fabric8 clients, watches) still go to
 * the CRUD dispatcher unchanged; every write goes through one lock so that a read-merge-write patch
 * is atomic.
 */
final class SimDispatcher extends Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(SimDispatcher.class);
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  final SimCrudDispatcher crud = new SimCrudDispatcher();
  private final Object writeLock = new Object();
  private final Supplier<String> serverAddress;
  private final Patcher patcher = new Patcher(this);
  private volatile ApiCatalog catalog;

  SimDispatcher(Supplier<String> serverAddress) {
    this.serverAddress = serverAddress;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    boolean crdWrite =
        !request.getMethod().equals("GET")
            && request.getPath().startsWith("/apis/apiextensions.k8s.io/");
    try {
      return finish(route(request));
    } catch (IllegalArgumentException e) {
      return json(400, ApiStatus.forCode(400, e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("sim API: {} {} failed", request.getMethod(), request.getPath(), e);
      return json(500, ApiStatus.forCode(500, String.valueOf(e.getMessage())));
    } finally {
      if (crdWrite) catalog = null; // discovery must show resources of new CRDs
    }
  }

  private MockResponse route(RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getPath();
    boolean write = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    if (write
        && MediaTypes.baseType(request.getHeader("Content-Type")).equals(MediaTypes.PROTOBUF)) {
      return json(415, ApiStatus.failure(415, "UnsupportedMediaType", ApiStatus.PROTOBUF_MESSAGE));
    }
    if (method.equals("GET")) {
      MockResponse meta =
          Metadata.serve(path, request.getHeader("Accept"), catalog(), serverAddress.get());
      if (meta != null) return meta;
    }
    Optional<ResourcePath> parsed = ResourcePath.parse(path);
    if (parsed.isEmpty())
      return locked(write || method.equals("DELETE"), () -> crud.dispatch(request));
    ResourcePath rp = parsed.get();
    if (!rp.subresource().isEmpty() && !rp.subresource().equals("status")) {
      // e.g. pods/log, pods/exec, deployments/scale: nothing runs behind the sim API.
      return json(
          404,
          ApiStatus.failure(
              404,
              "NotFound",
              "netsvc sim: " + rp.plural() + "/" + rp.subresource() + " is not supported"));
    }
    switch (method) {
      case "GET":
        return rp.isWatch() ? watch(rp, request) : get(rp, request.getHeader("Accept"));
      case "PATCH":
        return locked(true, () -> patcher.patch(rp, request));
      case "POST":
        if (rp.isDryRun()) return json(201, Json.parse(Json.text(request.getBody())));
        return locked(true, () -> create(request));
      case "PUT":
        if (rp.isDryRun()) return json(200, Json.parse(Json.text(request.getBody())));
        return locked(true, () -> crud.dispatch(request));
      case "DELETE":
        if (rp.isDryRun()) return get(rp, null);
        if (rp.isList()) return locked(true, () -> deleteCollection(rp));
        MockResponse deleted = locked(true, () -> crud.handleDelete(path));
        return deleted.code() == 404
            ? json(404, ApiStatus.notFound(rp.plural(), rp.name()))
            : deleted;
      default:
        return crud.dispatch(request);
    }
  }

  /** POST: generateName gets a random suffix (as in k8s), the created UID a real-looking value. */
  private MockResponse create(RecordedRequest request) {
    JsonNode body = Json.parse(Json.text(request.getBody()));
    JsonNode meta = body.path("metadata");
    if (meta.isObject()
        && meta.path("name").asText("").isEmpty()
        && !meta.path("generateName").asText("").isEmpty()) {
      ((ObjectNode) meta).put("name", meta.path("generateName").asText() + Names.randomSuffix());
      byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
      request =
          new RecordedRequest(
              request.getHttpVersion(),
              request.method(),
              request.getPath(),
              request.getHeaders(),
              new Buffer(bytes));
    }
    MockResponse r = crud.handleCreate(request);
    if (r.code() != 201) return r;
    return r.setBody(crud.withRealUid(Json.text(r.getBody())));
  }

  // The mock would drop set-based selectors here and delete more than asked: select first.
  private MockResponse deleteCollection(ResourcePath rp) {
    MockResponse selected = get(rp, null);
    JsonNode list = Json.parse(Json.text(selected.getBody()));
    for (JsonNode item : list.path("items")) {
      String ns = item.path("metadata").path("namespace").asText("");
      String base =
          rp.group().isEmpty()
              ? "/api/" + rp.version()
              : "/apis/" + rp.group() + "/" + rp.version();
      crud.handleDelete(
          base
              + (ns.isEmpty() ? "" : "/namespaces/" + ns)
              + "/"
              + rp.plural()
              + "/"
              + item.path("metadata").path("name").asText());
    }
    return selected;
  }

  MockResponse locked(boolean write, Supplier<MockResponse> action) {
    if (!write) return action.get();
    synchronized (writeLock) {
      return action.get();
    }
  }

  /** A GET of one object or a list, as JSON or as a Table. */
  MockResponse get(ResourcePath rp, String accept) {
    Optional<String> tableVersion = MediaTypes.tableVersion(accept);
    Optional<ApiResource> res = catalog().find(rp.group(), rp.version(), rp.plural());
    String kind = res.map(ApiResource::kind).orElse("");
    if (!rp.isList()) {
      MockResponse r = crud.handleGet(rp.objectPath());
      if (r.code() == 404) return json(404, ApiStatus.notFound(rp.plural(), rp.name()));
      if (tableVersion.isEmpty() || r.code() != 200) return r;
      JsonNode obj = Json.parse(Json.text(r.getBody()));
      String rv = obj.path("metadata").path("resourceVersion").asText("");
      return table(
          List.of(obj),
          kind.isEmpty() ? obj.path("kind").asText("") : kind,
          rv,
          tableVersion.get(),
          rp.param("includeObject"));
    }
    JsonNode list = Json.parse(Json.text(crud.handleGet(rp.objectPath()).getBody()));
    String gv = rp.group().isEmpty() ? rp.version() : rp.group() + "/" + rp.version();
    Predicate<JsonNode> match = selector(rp).and(o -> o.path("apiVersion").asText(gv).equals(gv));
    List<JsonNode> items = new ArrayList<>();
    list.path("items")
        .forEach(
            i -> {
              if (match.test(i)) items.add(i);
            });
    String rv = list.path("metadata").path("resourceVersion").asText("");
    if (tableVersion.isPresent()) {
      return table(items, kind, rv, tableVersion.get(), rp.param("includeObject"));
    }
    ObjectNode out =
        Json.object().put("apiVersion", gv).put("kind", kind.isEmpty() ? "List" : kind + "List");
    out.putObject("metadata").put("resourceVersion", rv);
    ArrayNode array = out.putArray("items");
    items.forEach(array::add);
    return json(200, out);
  }

  private MockResponse watch(ResourcePath rp, RecordedRequest request) {
    // Selectors are evaluated by WatchFilter; the CRUD watch gets the bare collection.
    String crudPath = rp.objectPath() + "?watch=true";
    MockResponse r = crud.handleGet(crudPath);
    if (r.getWebSocketListener() == null) return r;
    String kind =
        catalog().find(rp.group(), rp.version(), rp.plural()).map(ApiResource::kind).orElse("");
    long since = WatchFilter.parseLong(rp.param("resourceVersion"));
    String table = MediaTypes.tableVersion(request.getHeader("Accept")).orElse(null);
    // Unregistered under the write lock, so no write can reach a watch that is shutting down.
    WatchFilter filter =
        new WatchFilter(
            r.getWebSocketListener(),
            l ->
                locked(
                    true,
                    () -> {
                      crud.forgetWatch(l);
                      return null;
                    }),
            selector(rp),
            since,
            table,
            kind,
            rp.param("includeObject"));
    return new MockResponse().withWebSocketUpgrade(filter);
  }

  private static Predicate<JsonNode> selector(ResourcePath rp) {
    return Selectors.labels(rp.param("labelSelector"))
        .and(Selectors.fields(rp.param("fieldSelector")));
  }

  private static MockResponse table(
      List<JsonNode> items, String kind, String rv, String version, String includeObject) {
    ObjectNode table = TableConverter.table(items, kind, rv, version, includeObject, Instant.now());
    return json(200, table).setHeader("Content-Type", TableConverter.contentType(version));
  }

  /** The catalog, including the resources of the stored CRDs (re-read after a CRD write). */
  ApiCatalog catalog() {
    ApiCatalog c = catalog;
    if (c != null) return c;
    JsonNode list = Json.parse(Json.text(crud.handleGet(CRDS).getBody()));
    List<JsonNode> crds = new ArrayList<>();
    list.path("items").forEach(crds::add);
    c = ApiCatalog.withCrds(crds);
    catalog = c;
    return c;
  }

  static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setBody(Json.write(body))
        .setHeader("Content-Type", MediaTypes.JSON);
  }

  private static MockResponse finish(MockResponse r) {
    if (r.getWebSocketListener() != null) return r;
    boolean empty = r.getBody() == null || r.getBody().size() == 0;
    if (r.code() >= 400 && empty) {
      return json(
          r.code(), ApiStatus.forCode(r.code(), "the server responded with status " + r.code()));
    }
    if (!empty && r.header("Content-Type") == null) r.setHeader("Content-Type", MediaTypes.JSON);
    return r;
  }
}
