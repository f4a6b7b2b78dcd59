package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kubectl and fabric8 clients need of an API server, over the indexed {@link SimStore}:
 * discovery, OpenAPI for apply's validation check, Tables, strategic-merge and JSON merge patches,
 * full selectors, typed list kinds, Status bodies, JSON content types and resumable watches. Every
 * write runs inside the store's monitor, so a read-merge-write patch is atomic.
 */
final class SimDispatcher extends Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(SimDispatcher.class);
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final ResourcePath CRD_PATH = ResourcePath.parse(CRDS).orElseThrow();

  final SimStore store = new SimStore();

  /** Injected faults: lists of these resources (plural) are answered with this HTTP code. */
  final Map<String, Integer> failingLists = new ConcurrentHashMap<>();

  /** Every request, in RBAC's terms, per bearer token. */
  final AccessLog access = new AccessLog();

  private final Supplier<String> serverAddress;
  private final Patcher patcher = new Patcher(this);
  private final Admitter admitter = new Admitter(store);
  private volatile ApiCatalog catalog;

  SimDispatcher(Supplier<String> serverAddress) {
    this.serverAddress = serverAddress;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    access.record(request, ResourcePath.parse(request.getPath()));
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
    if (parsed.isEmpty()) {
      return json(404, ApiStatus.failure(404, "NotFound", "the server could not find " + path));
    }
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
        if (rp.isWatch()) return watch(rp, request);
        Integer fault = rp.isList() ? failingLists.get(rp.plural()) : null;
        if (fault != null) return json(fault, ApiStatus.forCode(fault, "netsvc sim: injected"));
        return get(rp, request.getHeader("Accept"));
      case "PATCH":
        return patcher.patch(rp, request);
      case "POST":
        return create(rp, request);
      case "PUT":
        return answer(update(rp, body(request)));
      case "DELETE":
        if (rp.isDryRun()) return get(rp, null);
        if (rp.isList()) return deleteCollection(rp);
        return answer(admitter.delete(rp));
      default:
        return json(405, ApiStatus.forCode(405, method + " is not supported"));
    }
  }

  /**
   * POST: generateName gets a random suffix (as in k8s); the object is admitted (namespace,
   * defaults, validation, allocation) and, unless a dry run, stored.
   */
  private MockResponse create(ResourcePath rp, RecordedRequest request) {
    if (!rp.isList()) return json(405, ApiStatus.forCode(405, "POST goes to a collection"));
    ObjectNode body = body(request);
    JsonNode meta = body.path("metadata");
    if (meta.isObject()
        && meta.path("name").asText("").isEmpty()
        && !meta.path("generateName").asText("").isEmpty()) {
      ((ObjectNode) meta).put("name", meta.path("generateName").asText() + Names.randomSuffix());
    }
    return answer(admitter.create(rp, body, statusApart(rp), rp.isDryRun()));
  }

  /** A PUT (or a patch's result) of the object or of its status, admitted, then stored. */
  SimStore.Result update(ResourcePath rp, ObjectNode body) {
    return admitter.update(
        rp, body, rp.subresource().equals("status"), statusApart(rp), rp.isDryRun());
  }

  /**
   * True for custom resources with a status subresource: their status is written only through it.
   * Built-in kinds keep the CRUD mock's rule (status writable through the object), which the
   * simulated kubelet and controllers use.
   */
  private boolean statusApart(ResourcePath rp) {
    boolean builtin =
        ApiCatalog.BUILTIN.stream()
            .anyMatch(b -> b.group().equals(rp.group()) && b.plural().equals(rp.plural()));
    return !builtin
        && catalog()
            .find(rp.group(), rp.version(), rp.plural())
            .map(r -> r.subresources().contains("status"))
            .orElse(false);
  }

  private static ObjectNode body(RecordedRequest request) {
    JsonNode body = Json.parse(Json.text(request.getBody()));
    if (!(body instanceof ObjectNode o))
      throw new IllegalArgumentException("the body is not an object");
    return o;
  }

  static MockResponse answer(SimStore.Result r) {
    return json(r.code(), r.body());
  }

  // Select first, then delete what was selected: set-based selectors work as for a list.
  private MockResponse deleteCollection(ResourcePath rp) {
    MockResponse selected = get(rp, null);
    JsonNode list = Json.parse(Json.text(selected.getBody()));
    for (JsonNode item : list.path("items")) {
      String ns = item.path("metadata").path("namespace").asText("");
      String name = item.path("metadata").path("name").asText();
      admitter.delete(
          new ResourcePath(
              rp.group(),
              rp.version(),
              ns,
              rp.plural(),
              name,
              "",
              rp.rawPath(),
              java.util.Map.of()));
    }
    return selected;
  }

  /** A GET of one object or a list, as JSON or as a Table. */
  MockResponse get(ResourcePath rp, String accept) {
    Optional<String> tableVersion = MediaTypes.tableVersion(accept);
    Optional<ApiResource> res = catalog().find(rp.group(), rp.version(), rp.plural());
    String kind = res.map(ApiResource::kind).orElse("");
    if (!rp.isList()) {
      Optional<String> found = store.get(rp);
      if (found.isEmpty()) return json(404, ApiStatus.notFound(rp.plural(), rp.name()));
      if (tableVersion.isEmpty()) return raw(200, found.get());
      JsonNode obj = Json.parse(found.get());
      String rv = obj.path("metadata").path("resourceVersion").asText("");
      return table(
          List.of(obj),
          kind.isEmpty() ? obj.path("kind").asText("") : kind,
          rv,
          tableVersion.get(),
          rp.param("includeObject"));
    }
    String rv;
    List<String> stored;
    synchronized (store) {
      rv = String.valueOf(store.resourceVersion());
      stored = store.list(rp);
    }
    String gv = rp.group().isEmpty() ? rp.version() : rp.group() + "/" + rp.version();
    String listKind = kind.isEmpty() ? "List" : kind + "List";
    boolean selects = rp.param("labelSelector") != null || rp.param("fieldSelector") != null;
    if (tableVersion.isEmpty() && !selects) return raw(200, listJson(gv, listKind, rv, stored));
    Predicate<JsonNode> match = selector(rp);
    List<JsonNode> items = new ArrayList<>();
    for (String s : stored) {
      JsonNode i = Json.parse(s);
      if (match.test(i)) items.add(i);
    }
    if (tableVersion.isPresent()) {
      return table(items, kind, rv, tableVersion.get(), rp.param("includeObject"));
    }
    ObjectNode out = Json.object().put("apiVersion", gv).put("kind", listKind);
    out.putObject("metadata").put("resourceVersion", rv);
    ArrayNode array = out.putArray("items");
    items.forEach(array::add);
    return json(200, out);
  }

  private static String listJson(String gv, String kind, String rv, List<String> items) {
    StringBuilder b = new StringBuilder(64 + items.size() * 2048);
    b.append("{\"apiVersion\":").append(Json.write(Json.NODES.textNode(gv)));
    b.append(",\"kind\":").append(Json.write(Json.NODES.textNode(kind)));
    b.append(",\"metadata\":{\"resourceVersion\":\"").append(rv).append("\"},\"items\":[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) b.append(',');
      b.append(items.get(i));
    }
    return b.append("]}").toString();
  }

  private MockResponse watch(ResourcePath rp, RecordedRequest request) {
    String kind =
        catalog().find(rp.group(), rp.version(), rp.plural()).map(ApiResource::kind).orElse("");
    String table = MediaTypes.tableVersion(request.getHeader("Accept")).orElse(null);
    return new MockResponse()
        .withWebSocketUpgrade(
            new StoreWatch(store, rp, table, kind, request.getHeader("User-Agent")));
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
    List<JsonNode> crds = new ArrayList<>();
    store.list(CRD_PATH).forEach(s -> crds.add(Json.parse(s)));
    c = ApiCatalog.withCrds(crds);
    catalog = c;
    return c;
  }

  private static MockResponse raw(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setBody(body)
        .setHeader("Content-Type", MediaTypes.JSON);
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
