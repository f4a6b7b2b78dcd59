package io.netsvc.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The objects of the embedded API, in place of the CRUD mock's map (which finds an object by
 * scanning every stored one, so each request cost O(objects)). Objects are kept as JSON text, per
 * resource type in a sorted map keyed by {@code namespace/name}: a get is a lookup and a namespaced
 * list a range. Writes follow the mock's rules that the sim relies on (status writable through the
 * main resource for built-in kinds, kept apart only for CRDs with a status subresource; a delete of
 * an object with finalizers sets {@code deletionTimestamp}; removing the last finalizer of such an
 * object deletes it) plus what a real API server does that the mock did not: {@code
 * resourceVersion} preconditions on every write, and watches that resume from a resourceVersion (a
 * bounded log of recent changes; an older one gets 410 Gone, as from a real server).
 *
 * <p>One monitor guards everything; watch events are handed to each watch inside it, so every watch
 * sees changes in resourceVersion order.
 */
final class SimStore {
  /** How many recent changes a watch can resume from. */
  static final int LOG_SIZE = 200_000;

  /** A stored object: its JSON and its resourceVersion. */
  record Entry(String json, long resourceVersion) {}

  /** One change as watches see it; {@code json} is the new object, or the last one for DELETED. */
  record Change(
      String resource, String namespace, String type, String json, long resourceVersion) {}

  /** A write's HTTP answer. */
  record Result(int code, JsonNode body) {}

  private final Map<String, NavigableMap<String, Entry>> objects = new HashMap<>();
  private final ArrayDeque<Change> log = new ArrayDeque<>();
  private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
  private final int logSize;
  private long resourceVersion;

  SimStore() {
    this(LOG_SIZE);
  }

  SimStore(int logSize) {
    this.logSize = logSize;
  }

  static String resource(ResourcePath rp) {
    return rp.group() + "/" + rp.plural();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private NavigableMap<String, Entry> of(ResourcePath rp) {
    return objects.computeIfAbsent(resource(rp), r -> new TreeMap<>());
  }

  synchronized long resourceVersion() {
    return resourceVersion;
  }

  synchronized Optional<String> get(ResourcePath rp) {
    Entry e = of(rp).get(key(rp.namespace(), rp.name()));
    return e == null ? Optional.empty() : Optional.of(e.json());
  }

  /** The stored JSON of the collection (all namespaces when the path names none), in key order. */
  synchronized List<String> list(ResourcePath rp) {
    NavigableMap<String, Entry> all = of(rp);
    NavigableMap<String, Entry> range =
        rp.namespace().isEmpty()
            ? all
            : all.subMap(rp.namespace() + "/", true, rp.namespace() + "0", false);
    List<String> out = new ArrayList<>(range.size());
    range.values().forEach(e -> out.add(e.json()));
    return out;
  }

  synchronized Result create(ResourcePath rp, ObjectNode body, boolean keepStatusApart) {
    ObjectNode meta = metadata(body);
    String name = meta.path("name").asText("");
    if (name.isEmpty())
      return invalid("metadata.name: Required value: name or generateName is required");
    String ns = meta.path("namespace").asText("");
    if (!ns.isEmpty() && !ns.equals(rp.namespace())) {
      return invalid(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    NavigableMap<String, Entry> map = of(rp);
    String key = key(rp.namespace(), name);
    if (map.containsKey(key)) {
      return new Result(
          409,
          ApiStatus.failure(
              409, "AlreadyExists", rp.plural() + " \"" + name + "\" already exists"));
    }
    if (!rp.namespace().isEmpty()) meta.put("namespace", rp.namespace());
    meta.remove("deletionTimestamp");
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("generation", 1);
    if (keepStatusApart) body.remove("status");
    commit(rp, map, key, body, "ADDED");
    return new Result(201, body);
  }

  /**
   * A PUT of the object ({@code statusOnly}: of its status subresource). A stale resourceVersion in
   * the body is a conflict; an unchanged object is not a change (no new resourceVersion, no event).
   */
  synchronized Result update(
      ResourcePath rp, ObjectNode body, boolean statusOnly, boolean keepStatusApart) {
    NavigableMap<String, Entry> map = of(rp);
    String key = key(rp.namespace(), rp.name());
    Entry current = map.get(key);
    if (current == null) return new Result(404, ApiStatus.notFound(rp.plural(), rp.name()));
    ObjectNode now = (ObjectNode) Json.parse(current.json());
    String wanted = body.path("metadata").path("resourceVersion").asText("");
    if (!wanted.isEmpty() && !wanted.equals(String.valueOf(current.resourceVersion()))) {
      return conflict(rp);
    }
    String bodyName = body.path("metadata").path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(rp.name())) {
      return invalid(
          "the name of the object (" + bodyName + ") does not match the name on the URL");
    }
    ObjectNode next;
    if (statusOnly) {
      next = now.deepCopy();
      setOrRemove(next, "status", body.get("status"));
    } else {
      next = body.deepCopy();
      if (keepStatusApart) setOrRemove(next, "status", now.get("status"));
    }
    ObjectNode meta = metadata(next);
    JsonNode old = now.path("metadata");
    for (String field : List.of("uid", "creationTimestamp", "generation", "deletionTimestamp")) {
      setOrRemove(meta, field, old.get(field));
    }
    if (rp.namespace().isEmpty()) meta.remove("namespace");
    else meta.put("namespace", rp.namespace());
    meta.put("name", rp.name());
    meta.put("resourceVersion", String.valueOf(current.resourceVersion()));
    if (next.equals(now)) return new Result(200, now);
    if (!statusOnly && specChanged(now, next))
      meta.put("generation", old.path("generation").asLong(0) + 1);
    if (!now.path("metadata").path("deletionTimestamp").isMissingNode()
        && next.path("metadata").path("finalizers").isEmpty()
        && next.path("spec").path("finalizers").isEmpty()) { // a namespace's are in its spec
      return remove(rp, map, key, next);
    }
    commit(rp, map, key, next, "MODIFIED");
    return new Result(200, next);
  }

  /**
   * Marks {@code rp} as being deleted (deletionTimestamp) with {@code change} applied, e.g. a
   * namespace that turns Terminating while the namespace controller empties it.
   */
  synchronized Result mark(ResourcePath rp, java.util.function.Consumer<ObjectNode> change) {
    NavigableMap<String, Entry> map = of(rp);
    String key = key(rp.namespace(), rp.name());
    Entry current = map.get(key);
    if (current == null) return new Result(404, ApiStatus.notFound(rp.plural(), rp.name()));
    ObjectNode now = (ObjectNode) Json.parse(current.json());
    if (!now.path("metadata").path("deletionTimestamp").isMissingNode()) {
      return new Result(200, now);
    }
    ObjectNode marked = now.deepCopy();
    metadata(marked)
        .put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("deletionGracePeriodSeconds", 0);
    change.accept(marked);
    commit(rp, map, key, marked, "MODIFIED");
    return new Result(200, marked);
  }

  /** Every object in {@code namespace}, of every resource, as paths to it. */
  synchronized List<ResourcePath> contents(String namespace) {
    List<ResourcePath> out = new ArrayList<>();
    for (Map.Entry<String, NavigableMap<String, Entry>> r : objects.entrySet()) {
      int slash = r.getKey().indexOf('/');
      String group = r.getKey().substring(0, slash);
      String plural = r.getKey().substring(slash + 1);
      for (String key :
          r.getValue().subMap(namespace + "/", true, namespace + "0", false).keySet()) {
        String name = key.substring(namespace.length() + 1);
        out.add(new ResourcePath(group, "v1", namespace, plural, name, "", "", Map.of()));
      }
    }
    return out;
  }

  /** DELETE of one object: removes it, or only marks it while it has finalizers. */
  synchronized Result delete(ResourcePath rp) {
    NavigableMap<String, Entry> map = of(rp);
    String key = key(rp.namespace(), rp.name());
    Entry current = map.get(key);
    if (current == null) return new Result(404, ApiStatus.notFound(rp.plural(), rp.name()));
    ObjectNode now = (ObjectNode) Json.parse(current.json());
    JsonNode meta = now.path("metadata");
    if (meta.path("finalizers").isEmpty()) return remove(rp, map, key, now);
    if (!meta.path("deletionTimestamp").isMissingNode()) return new Result(200, now);
    ObjectNode marked = now.deepCopy();
    metadata(marked)
        .put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("deletionGracePeriodSeconds", 0);
    commit(rp, map, key, marked, "MODIFIED");
    return new Result(200, marked);
  }

  private Result remove(
      ResourcePath rp, NavigableMap<String, Entry> map, String key, ObjectNode last) {
    commit(rp, map, key, last, "DELETED");
    return new Result(200, last);
  }

  /**
   * {@code obj} at the next resourceVersion: stored (dropped when {@code DELETED}) and sent to the
   * watches as a change of that type.
   */
  private void commit(
      ResourcePath rp, NavigableMap<String, Entry> map, String key, ObjectNode obj, String type) {
    long rv = ++resourceVersion;
    metadata(obj).put("resourceVersion", String.valueOf(rv));
    String json = Json.write(obj);
    if (type.equals("DELETED")) map.remove(key);
    else map.put(key, new Entry(json, rv));
    publish(new Change(resource(rp), rp.namespace(), type, json, rv));
  }

  private void publish(Change change) {
    if (log.size() >= logSize) log.removeFirst();
    log.addLast(change);
    for (StoreWatch w : watches) w.offer(change);
  }

  /**
   * Registers a watch. From resourceVersion 0 it first gets every current object as ADDED; from a
   * later one, the logged changes after it — or false when the log no longer reaches back that far
   * (the caller answers 410 Gone, and the client lists again).
   */
  synchronized boolean watch(StoreWatch w, ResourcePath rp, long since) {
    if (since <= 0) {
      NavigableMap<String, Entry> map = of(rp);
      NavigableMap<String, Entry> range =
          rp.namespace().isEmpty()
              ? map
              : map.subMap(rp.namespace() + "/", true, rp.namespace() + "0", false);
      for (Entry e : range.values()) {
        w.offer(new Change(resource(rp), rp.namespace(), "ADDED", e.json(), e.resourceVersion()));
      }
    } else if (since < resourceVersion) {
      Change oldest = log.peekFirst();
      if (oldest == null || oldest.resourceVersion() > since + 1) return false;
      for (Change c : log) if (c.resourceVersion() > since) w.offer(c);
    }
    watches.add(w);
    return true;
  }

  synchronized void unwatch(StoreWatch w) {
    watches.remove(w);
  }

  /** Every open watch of {@code plural} (e.g. "pods", of any group). */
  synchronized List<StoreWatch> watches(String plural) {
    return watches.stream().filter(w -> w.plural().equals(plural)).toList();
  }

  /** Forgets every watch: the API went down, and their connections with it. */
  synchronized void forgetWatches() {
    watches.clear();
  }

  /** How many watches {@code client} (a User-Agent) has open, by resource (plural name). */
  synchronized Map<String, Integer> openWatches(String client) {
    Map<String, Integer> open = new TreeMap<>();
    for (StoreWatch w : watches) {
      if (client.equals(w.client())) open.merge(w.plural(), 1, Integer::sum);
    }
    return open;
  }

  private static boolean specChanged(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      o.remove("metadata");
      o.remove("status");
    }
    return !a.equals(b);
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode meta = object.get("metadata");
    return meta instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static void setOrRemove(ObjectNode target, String field, JsonNode value) {
    if (value == null || value.isMissingNode()) target.remove(field);
    else target.set(field, value.deepCopy());
  }

  private static Result invalid(String message) {
    return new Result(422, ApiStatus.failure(422, "Invalid", message));
  }

  static Result conflict(ResourcePath rp) {
    return new Result(
        409,
        ApiStatus.failure(
            409,
            "Conflict",
            "Operation cannot be fulfilled on "
                + rp.plural()
                + " \""
                + rp.name()
                + "\": the object has been modified; please apply your "
                + "changes to the latest version and try again"));
  }
}
