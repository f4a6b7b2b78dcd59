package io.netsvc.nodeagent.netpol.conformance;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.sim.SimRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The conformance world of {@link World} made through the API of a {@code netsvc sim
 * --dataplane=netns}: namespaces x, y, z and pods a, b, c created as a user would, placed on the
 * two nodes as {@link World} places them, with the IPs the sim's kubelets give them; each step of a
 * case becomes the API call a user would make, and probes are real packets between the pods'
 * namespaces.
 */
final class ApiWorld implements AutoCloseable {
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

  private final SimRunner sim;
  private final KubernetesClient client;
  private final World layout = new World();
  private final Map<String, String> ips = new LinkedHashMap<>();

  /** Every pair of the matrix at once: a silent (dropped) probe waits out its timeout. */
  private final ExecutorService probes = Executors.newFixedThreadPool(81);

  ApiWorld(SimRunner sim, KubernetesClient client) {
    this.sim = sim;
    this.client = client;
  }

  /** Creates the namespaces and pods and waits until every pod is Ready (its namespace answers). */
  void create() {
    for (String ns : Truth.NAMESPACES) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .addToLabels("ns", ns)
                  .addToLabels("kubernetes.io/metadata.name", ns)
                  .endMetadata()
                  .build())
          .create();
    }
    for (String pod : Truth.ALL) {
      String[] p = pod.split("/");
      PodBuilder b =
          new PodBuilder()
              .withNewMetadata()
              .withNamespace(p[0])
              .withName(p[1])
              .addToLabels("pod", p[1])
              .endMetadata()
              .withNewSpec()
              .withNodeName(layout.node(pod))
              .addToContainers(
                  new ContainerBuilder()
                      .withName("serve")
                      .withImage("registry.k8s.io/e2e-test-images/agnhost:2.47")
                      .withPorts(
                          port("serve-80-tcp", 80, "TCP"),
                          port("serve-81-tcp", 81, "TCP"),
                          port("serve-80-udp", 80, "UDP"),
                          port("serve-81-udp", 81, "UDP"))
                      .build())
              .endSpec();
      // a name only namespace y's pods expose (regression D7), on a container of its own
      if (p[0].equals("y")) {
        b.editSpec()
            .addToContainers(
                new ContainerBuilder()
                    .withName("alt")
                    .withImage("registry.k8s.io/e2e-test-images/agnhost:2.47")
                    .withPorts(port("alt-81", 81, "TCP"))
                    .build())
            .endSpec();
      }
      client.pods().resource(b.build()).create();
    }
    for (String pod : Truth.ALL) {
      String[] p = pod.split("/");
      Pod ready =
          client
              .pods()
              .inNamespace(p[0])
              .withName(p[1])
              .waitUntilCondition(Readiness::isPodReady, 60, java.util.concurrent.TimeUnit.SECONDS);
      ips.put(pod, ready.getStatus().getPodIP());
    }
  }

  private static ContainerPort port(String name, int port, String protocol) {
    ContainerPort out = new ContainerPort();
    out.setName(name);
    out.setContainerPort(port);
    out.setProtocol(protocol);
    return out;
  }

  String ip(String pod) {
    return ips.get(pod);
  }

  /**
   * Back to the start of a case: no policies, base labels; returns once every pair talks on TCP 80
   * again.
   */
  void reset(Duration within) throws Exception {
    for (String ns : Truth.NAMESPACES) {
      client.network().v1().networkPolicies().inNamespace(ns).delete();
      client
          .namespaces()
          .withName(ns)
          .edit(
              n -> {
                n.getMetadata()
                    .setLabels(
                        new LinkedHashMap<>(Map.of("ns", ns, "kubernetes.io/metadata.name", ns)));
                return n;
              });
    }
    for (String pod : Truth.ALL) {
      labelPod(pod, Map.of("pod", pod.split("/")[1]), true);
    }
    awaitMatrix("TCP", 80, new Truth(true), within);
  }

  /** A change step as the API call a user would make. */
  void apply(Step step) {
    if (step instanceof Step.Apply a) {
      NetworkPolicyInfo p = a.policy().apply(ips);
      NetworkPolicy np = ApiPolicies.toApi(p);
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(p.namespace())
          .resource(np)
          .createOr(NonDeletingOperation::update);
    } else if (step instanceof Step.Delete d) {
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(d.namespace())
          .withName(d.name())
          .delete();
    } else if (step instanceof Step.LabelNamespace l) {
      labelNamespace(l.namespace(), Map.of(l.key(), l.value()), false);
    } else if (step instanceof Step.LabelPod l) {
      labelPod(l.pod(), Map.of(l.key(), l.value()), false);
    } else {
      throw new IllegalArgumentException("not a change: " + step);
    }
  }

  /** Adds {@code labels} to the namespace's, or with {@code replace} makes them its only labels. */
  private void labelNamespace(String ns, Map<String, String> labels, boolean replace) {
    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().setLabels(merged(n.getMetadata().getLabels(), labels, replace));
              return n;
            });
  }

  private void labelPod(String pod, Map<String, String> labels, boolean replace) {
    String[] p = pod.split("/");
    client
        .pods()
        .inNamespace(p[0])
        .withName(p[1])
        .edit(
            x -> {
              x.getMetadata().setLabels(merged(x.getMetadata().getLabels(), labels, replace));
              return x;
            });
  }

  private static Map<String, String> merged(
      Map<String, String> have, Map<String, String> labels, boolean replace) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!replace && have != null) out.putAll(have);
    out.putAll(labels);
    return out;
  }

  /**
   * Probes the matrix until it is {@code expected} (a change takes effect asynchronously, as in the
   * upstream e2e test); returns the last observation, which differs if time ran out.
   */
  Truth awaitMatrix(String protocol, int port, Truth expected, Duration within) throws Exception {
    Truth[] last = new Truth[1];
    try {
      await()
          .atMost(within)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                last[0] = probeAll(protocol, port);
                return expected.differences(last[0]).isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // the caller reports the differences with the observed matrix
    }
    return last[0];
  }

  /** Whether {@code from} ("x/a") reaches {@code to}'s IP on {@code port}. */
  boolean reaches(String from, String to, String protocol, int port) throws Exception {
    String[] f = from.split("/");
    return sim.probe(f[0], f[1], ips.get(to), port, protocol, PROBE_TIMEOUT);
  }

  Truth probeAll(String protocol, int port) throws Exception {
    Truth observed = new Truth(true);
    Map<String, Future<Boolean>> pairs = new LinkedHashMap<>();
    for (String from : Truth.ALL) {
      for (String to : Truth.ALL) {
        if (to.equals(from)) continue;
        pairs.put(from + " " + to, probes.submit(() -> reaches(from, to, protocol, port)));
      }
    }
    for (var e : pairs.entrySet()) {
      String[] ft = e.getKey().split(" ");
      observed.expect(ft[0], ft[1], e.getValue().get());
    }
    return observed;
  }

  List<String> pods() {
    return new ArrayList<>(ips.keySet());
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
