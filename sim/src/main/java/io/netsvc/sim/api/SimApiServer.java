package io.netsvc.sim.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netsvc.sim.rbac.model.AccessRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Kubernetes API of {@code netsvc sim}: an indexed in-memory store with the shims a
 * real {@code kubectl} needs (discovery, JSON content types, server-side Tables, strategic-merge
 * patches, OpenAPI for apply's validation, watches over plain HTTP). See README.md beside this
 * class for what works with kubectl and what does not.
 */
public final class SimApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimApiServer.class);
  public static final String CONTEXT = "netsvc-sim";
  static final List<String> NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final HttpFront front;
  private final SimDispatcher dispatcher;
  private final String host;
  private final int port;
  private final String url;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  private SimApiServer(HttpFront front, SimDispatcher dispatcher, String host, int port) {
    this.front = front;
    this.dispatcher = dispatcher;
    this.host = host;
    this.port = port;
    this.url = "http://" + host + ":" + port;
    this.client = newClient();
  }

  /** Starts the API on {@code host:port} (port 0 = a free one) with the usual namespaces. */
  public static SimApiServer start(String host, int port) {
    String[] address = new String[1];
    SimDispatcher dispatcher = new SimDispatcher(() -> address[0]);
    HttpFront front = new HttpFront(dispatcher);
    int actual;
    try {
      actual = front.start(host, port);
    } catch (RuntimeException e) {
      front.close();
      throw e;
    }
    address[0] = host + ":" + actual;
    SimApiServer server = new SimApiServer(front, dispatcher, host, actual);
    try {
      for (String ns : NAMESPACES) {
        server
            .client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Active")
                    .endStatus()
                    .build())
            .create();
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("sim API listening on {}", server.url);
    return server;
  }

  /**
   * Also serves the API over https on a free port of the same host, with this PEM certificate and
   * key (its SANs must name the host for clients that verify it); returns the port. The https
   * listener ends with {@link #stopListening()} and is not restarted by {@link #listenAgain()}.
   */
  public int listenTls(java.nio.file.Path certPem, java.nio.file.Path keyPem) {
    return front.startTls(host, certPem.toString(), keyPem.toString());
  }

  /** {@code http://HOST:PORT}. */
  public String url() {
    return url;
  }

  /** The server's own client (closed with the server). */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A new client for this API, namespace "default"; closed with the server unless closed before.
   */
  public KubernetesClient newClient() {
    return newClient(null);
  }

  /** A new client, as {@link #newClient()}, that names itself {@code userAgent} (null: fabric8). */
  public KubernetesClient newClient(String userAgent) {
    return newClient(userAgent, null);
  }

  /**
   * A new client, as {@link #newClient(String)}, that sends {@code token} as its bearer token
   * (null: none), so that {@link #requestsBy} tells its requests apart.
   */
  public KubernetesClient newClient(String userAgent, String token) {
    ConfigBuilder builder =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true);
    if (userAgent != null) builder.withUserAgent(userAgent);
    if (token != null) builder.withOauthToken(token);
    Config config = builder.build();
    KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(c);
    return c;
  }

  /**
   * Every distinct request the clients with bearer token {@code token} ("": none) made so far, in
   * RBAC's terms (verb, API group, resource, subresource, namespace, name).
   */
  public Set<AccessRequest> requestsBy(String token) {
    return dispatcher.access.requests(token);
  }

  /** The non-resource paths (discovery, OpenAPI, version) clients with {@code token} asked for. */
  public Set<String> nonResourcePathsBy(String token) {
    return dispatcher.access.nonResourcePaths(token);
  }

  /** How many distinct requests the record left out (it keeps at most 100,000 per token). */
  public long requestsNotRecorded() {
    return dispatcher.access.dropped();
  }

  /** The watches a client (by User-Agent) has open now, counted by resource (e.g. "pods"). */
  public Map<String, Integer> openWatches(String userAgent) {
    return dispatcher.store.openWatches(userAgent);
  }

  /**
   * An outage begins: the API stops listening and drops every connection and watch, keeping its
   * objects. Clients see connections refused until {@link #listenAgain()}.
   */
  public void stopListening() {
    front.stop();
    dispatcher.store.forgetWatches();
    log.info("sim API stopped listening on {}", url);
  }

  /** The outage ends: the API listens on the same address again, with the objects it had. */
  public void listenAgain() {
    front.start(host, port);
    log.info("sim API listening again on {}", url);
  }

  /**
   * Sends {@code eventJson} as it is to every open watch of {@code plural} (e.g. "pods"), as an API
   * server's watch error ({@code {"type":"ERROR","object":<Status>}}) or an event a client cannot
   * read.
   */
  public void sendWatchEvent(String plural, String eventJson) {
    dispatcher.store.watches(plural).forEach(w -> w.sendRaw(eventJson));
  }

  /**
   * Answers every list of {@code plural} with HTTP {@code code} (e.g. 403 when RBAC was revoked)
   * until {@link #healLists}; gets of one object and watches still work.
   */
  public void failLists(String plural, int code) {
    dispatcher.failingLists.put(plural, code);
  }

  public void healLists(String plural) {
    dispatcher.failingLists.remove(plural);
  }

  /** Writes a kubeconfig for kubectl (context {@value #CONTEXT}); returns its absolute path. */
  public Path writeKubeconfig(Path file) {
    Path target = file.toAbsolutePath();
    try {
      if (target.getParent() != null) Files.createDirectories(target.getParent());
      Files.writeString(target, kubeconfig(url));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + target, e);
    }
  }

  static String kubeconfig(String server) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + CONTEXT,
        "  cluster:",
        "    server: " + server,
        "contexts:",
        "- name: " + CONTEXT,
        "  context:",
        "    cluster: " + CONTEXT,
        "    namespace: default",
        "    user: " + CONTEXT,
        "current-context: " + CONTEXT,
        "users:",
        "- name: " + CONTEXT,
        "  user:",
        "    token: netsvc-sim-token",
        "preferences: {}",
        "");
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    front.close();
  }
}
