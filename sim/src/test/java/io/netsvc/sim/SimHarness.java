package io.netsvc.sim;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import io.netsvc.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A whole {@code netsvc sim} in the test JVM, with helpers to drive it like a user. */
final class SimHarness implements AutoCloseable {
  final SimRunner sim;
  final KubernetesClient client;
  final Path dir;

  private SimHarness(SimRunner sim, KubernetesClient client, Path dir) {
    this.sim = sim;
    this.client = client;
    this.dir = dir;
  }

  /** {@code scenarioYaml} null = the default nodes; extra = further sim flags. */
  static SimHarness start(String scenarioYaml, String... extra) throws Exception {
    Path dir = Files.createTempDirectory("netsvc-it");
    List<String> args =
        new ArrayList<>(
            List.of(
                "sim",
                "--kubeconfig-out",
                dir.resolve("kubeconfig").toString(),
                "--data-dir",
                dir.resolve("data").toString()));
    if (scenarioYaml != null) {
      Path scenario = dir.resolve("scenario.yaml");
      Files.writeString(scenario, scenarioYaml);
      args.addAll(List.of("--scenario", scenario.toString()));
    }
    args.addAll(List.of(extra));
    ParseResult parsed = Cli.parse(args.toArray(String[]::new), java.util.Map.of());
    if (!(parsed instanceof ParseResult.Run run))
      throw new IllegalArgumentException(parsed.toString());
    Settings settings = run.settings();
    SimRunner sim = SimRunner.start(settings);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                    Files.readString(sim.kubeconfig())))
            .build();
    return new SimHarness(sim, client, dir);
  }

  static Service lb(String ns, String name, int... ports) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .addToSelector("app", name)
            .endSpec();
    for (int p : ports) {
      b.editSpec()
          .addToPorts(
              new ServicePortBuilder().withName("p" + p).withPort(p).withProtocol("TCP").build())
          .endSpec();
    }
    return b.build();
  }

  Service create(Service s) {
    return client.services().resource(s).create();
  }

  Service get(String ns, String name) {
    return client.services().inNamespace(ns).withName(name).get();
  }

  List<String> ingress(String ns, String name) {
    Service s = get(ns, name);
    if (s == null
        || s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream()
        .map(LoadBalancerIngress::getIp)
        .toList();
  }

  void awaitIngress(String ns, String name, List<String> expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ingress(ns, name).equals(expected));
  }

  /** "Type Reason: message" of every event about the object, oldest first. */
  List<String> events(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(
            java.util.Comparator.comparing(
                Event::getFirstTimestamp, java.util.Comparator.nullsFirst(String::compareTo)))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
        .toList();
  }

  boolean hasEvent(String ns, String name, String startsWith) {
    return events(ns, name).stream().anyMatch(e -> e.startsWith(startsWith));
  }

  String management(String path) throws IOException, InterruptedException {
    String base = sim.members().get(0).member().managementUrl();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Override
  public void close() {
    client.close();
    sim.close();
  }
}
