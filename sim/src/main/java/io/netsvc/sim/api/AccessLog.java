package io.netsvc.sim.api;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.netsvc.sim.rbac.model.AccessRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which client asked the sim API for what, in RBAC's terms, per bearer token ("" without one): each
 * distinct {@link AccessRequest} once, and the non-resource paths (discovery, OpenAPI, version)
 * apart. A test compares this with the shipped ClusterRoles. Distinct requests per token are capped
 * (object names make them grow with the objects a benchmark creates); {@link #dropped} counts what
 * the cap left out, so a test can tell an incomplete record from a complete one.
 */
final class AccessLog {
  static final int MAX_PER_TOKEN = 100_000;

  private final Map<String, Set<AccessRequest>> requests = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> nonResource = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  void record(RecordedRequest request, Optional<ResourcePath> parsed) {
    String token = token(request.getHeader("Authorization"));
    if (parsed.isEmpty()) {
      String path = request.getPath();
      int q = path.indexOf('?');
      set(nonResource, token).add(q < 0 ? path : path.substring(0, q));
      return;
    }
    ResourcePath rp = parsed.get();
    boolean get = request.getMethod().equals("GET");
    String name =
        !rp.name().isEmpty() || !get ? rp.name() : nameFromSelector(rp.param("fieldSelector"));
    AccessRequest r =
        new AccessRequest(
            AccessRequest.verbOf(request.getMethod(), !rp.isList(), rp.isWatch()),
            rp.group(),
            rp.plural(),
            rp.subresource(),
            rp.namespace(),
            name);
    Set<AccessRequest> seen = set(requests, token);
    if (seen.size() >= MAX_PER_TOKEN && !seen.contains(r)) dropped.incrementAndGet();
    else seen.add(r);
  }

  Set<AccessRequest> requests(String token) {
    return Set.copyOf(requests.getOrDefault(token, Set.of()));
  }

  Set<String> nonResourcePaths(String token) {
    return Set.copyOf(nonResource.getOrDefault(token, Set.of()));
  }

  long dropped() {
    return dropped.get();
  }

  void clear() {
    requests.clear();
    nonResource.clear();
    dropped.set(0);
  }

  /** "Bearer X" → X; anything else → "" (the sim accepts every request, as anonymous). */
  static String token(String authorization) {
    if (authorization == null) return "";
    String a = authorization.strip();
    return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).strip() : "";
  }

  /**
   * kube-apiserver authorizes a list or watch whose field selector is exactly {@code
   * metadata.name=X} (how clients watch one object) against resourceNames as a request for X.
   */
  static String nameFromSelector(String fieldSelector) {
    String s = fieldSelector.strip();
    for (String prefix : new String[] {"metadata.name==", "metadata.name="}) {
      if (s.startsWith(prefix) && !s.contains(",")) return s.substring(prefix.length());
    }
    return "";
  }

  private static <T> Set<T> set(Map<String, Set<T>> map, String token) {
    return map.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet());
  }
}
