package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netsvc.actors.node.AgentIdentity;
import io.netsvc.cluster.Member;
import io.netsvc.cluster.NetsvcMember;
import io.netsvc.cluster.ServiceLbWiring;
import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import io.netsvc.config.Settings;
import io.netsvc.sim.api.SimApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code server} members started without seeds, so in two separate clusters, against one API:
 * only the one holding the Lease kube-system/netsvc-controller runs its controller singletons; the
 * other stands by, and takes over when the holder goes.
 */
class LeaseFenceIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * A Lease that expires in seconds (6 s) rather than the default 15 s: the take-overs come sooner.
   */
  @BeforeEach
  void shortLeases() {
    System.setProperty("netsvc.fence.lease-duration", "6s");
    System.setProperty("netsvc.fence.renew-deadline", "4s");
    System.setProperty("netsvc.fence.retry-period", "1s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultLeases() {
    for (String k : List.of("lease-duration", "renew-deadline", "retry-period")) {
      System.clearProperty("netsvc.fence." + k);
    }
    ConfigFactory.invalidateCaches();
  }

  @Test
  void onlyTheClusterHoldingTheLeaseActsAndTheOtherTakesOverWhenItGoes() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "2", "--members", "0")) {
      // the first also hosts the nodes' agents, which give the nodes their addresses
      NetsvcMember first = server(sim, "first", agents(sim));
      NetsvcMember second = null;
      try {
        NetsvcMember acting = first;
        await().atMost(WAIT).until(() -> status(acting, "/servicelb/services") == 200);
        second = server(sim, "second", Map.of());

        sim.create(SimHarness.lb("default", "one", 8081));
        await().atMost(WAIT).until(() -> !sim.ingress("default", "one").isEmpty());
        assertThat(services(first)).contains("\"default/one\"");
        // the second cluster stands by: no ServiceLB controller answers there
        assertThat(status(second, "/servicelb/services")).isEqualTo(503);
        assertThat(holder(sim)).isEqualTo(address(first));

        first.close();
        first = null;
        NetsvcMember taker = second;
        await().atMost(WAIT).until(() -> address(taker).equals(holder(sim)));
        sim.create(SimHarness.lb("default", "two", 8082));
        await().atMost(WAIT).until(() -> !sim.ingress("default", "two").isEmpty());
        assertThat(services(second)).contains("\"default/one\"", "\"default/two\"");
      } finally {
        if (first != null) first.close();
        if (second != null) second.close();
      }
    }
  }

  @Test
  void aLeaseLeftByACrashedHolderIsTakenByTheOtherClusterOnceItExpires() throws Exception {
    try (SimHarness sim = SimHarness.start(null, "--nodes", "1", "--members", "0")) {
      KubernetesClient firstClient = sim.sim.newClient();
      NetsvcMember first = server(sim, "first", Map.of(), firstClient);
      NetsvcMember second = null;
      try {
        await().atMost(WAIT).until(() -> address(first).equals(holder(sim)));
        second = server(sim, "second", Map.of(), sim.sim.newClient());
        NetsvcMember taker = second;
        // the holder can no longer reach the API, as after kill -9: it neither renews nor releases
        firstClient.close();
        first.close();
        await().atMost(WAIT).until(() -> address(taker).equals(holder(sim)));
        await().atMost(WAIT).until(() -> status(taker, "/servicelb/services") == 200);
      } finally {
        if (second != null) second.close();
      }
    }
  }

  @Test
  void theNextSingletonHostOfTheSameClusterTakesTheLeaseOverWithoutWaitingForItToExpire()
      throws Exception {
    // a Lease that would expire only after the test's wait: only the take-over can move it
    System.setProperty("netsvc.fence.lease-duration", "600s");
    ConfigFactory.invalidateCaches();
    try (SimHarness sim = SimHarness.start(null, "--nodes", "1", "--members", "0")) {
      KubernetesClient firstClient = sim.sim.newClient();
      NetsvcMember first = server(sim, "first", Map.of(), firstClient, List.of());
      NetsvcMember second = null;
      try {
        await().atMost(WAIT).until(() -> address(first).equals(holder(sim)));
        second =
            server(
                sim, "second", Map.of(), sim.sim.newClient(), List.of(first.member().hostPort()));
        NetsvcMember next = second;
        await()
            .atMost(WAIT)
            .until(
                () ->
                    Cluster.get(next.member().system()).selfMember().status() == MemberStatus.up());
        // the holder can no longer reach the API, as after kill -9: it neither renews nor releases
        firstClient.close();
        first.close();
        await().atMost(WAIT).until(() -> address(next).equals(holder(sim)));
        await().atMost(WAIT).until(() -> status(next, "/servicelb/services") == 200);
      } finally {
        if (second != null) second.close();
      }
    }
  }

  @Test
  void theEmbeddedApiServesLeasesWithResourceVersionConflicts() {
    try (SimApiServer api = SimApiServer.start("127.0.0.1", 0)) {
      var leases = api.client().leases().inNamespace("kube-system");
      Lease created =
          leases
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName("l1")
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity("a")
                      .withLeaseDurationSeconds(15)
                      .endSpec()
                      .build())
              .create();
      Lease read = leases.withName("l1").get();
      assertThat(read.getSpec().getHolderIdentity()).isEqualTo("a");
      read.getSpec().setHolderIdentity("b");
      Lease updated = leases.resource(read).update();
      assertThat(updated.getMetadata().getResourceVersion())
          .isNotEqualTo(created.getMetadata().getResourceVersion());
      // a writer that read before b's update loses
      created.getSpec().setHolderIdentity("c");
      assertThatThrownBy(() -> leases.resource(created).update())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(leases.withName("l1").get().getSpec().getHolderIdentity()).isEqualTo("b");
    }
  }

  private static Map<String, AgentIdentity> agents(SimHarness sim) {
    Map<String, AgentIdentity> out = new LinkedHashMap<>();
    for (Node n : sim.client.nodes().list().getItems()) {
      List<String> internal =
          n.getStatus().getAddresses().stream()
              .filter(a -> a.getType().equals("InternalIP"))
              .map(NodeAddress::getAddress)
              .toList();
      String name = n.getMetadata().getName();
      out.put(name, new AgentIdentity(internal, List.of(), List.of(), List.of(), name));
    }
    return out;
  }

  private static NetsvcMember server(SimHarness sim, String name, Map<String, AgentIdentity> agents)
      throws Exception {
    return server(sim, name, agents, sim.sim.newClient());
  }

  private static NetsvcMember server(
      SimHarness sim, String name, Map<String, AgentIdentity> agents, KubernetesClient client)
      throws Exception {
    return server(sim, name, agents, client, List.of());
  }

  private static NetsvcMember server(
      SimHarness sim,
      String name,
      Map<String, AgentIdentity> agents,
      KubernetesClient client,
      List<String> seeds)
      throws Exception {
    ParseResult parsed =
        Cli.parse(
            new String[] {
              "server",
              "--kubeconfig",
              sim.sim.kubeconfig().toString(),
              "--data-dir",
              sim.dir.resolve(name).toString(),
              // this member hosts simulated nodes' agents, as the sim's members do
              "--agent-check",
              "off"
            },
            Map.of());
    Settings settings = ((ParseResult.Run) parsed).settings();
    Member.Spec spec =
        new Member.Spec(
            "netsvc",
            "127.0.0.1",
            0,
            seeds,
            Set.of(ServiceLbWiring.CONTROLLER_ROLE),
            "127.0.0.1",
            SimRunner.freePort());
    return NetsvcMember.start(spec, client, settings, agents, null);
  }

  private static String holder(SimHarness sim) {
    Lease lease =
        sim.client.leases().inNamespace("kube-system").withName("netsvc-controller").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String address(NetsvcMember m) {
    return org.apache.pekko.cluster.typed.Cluster.get(m.member().system())
        .selfMember()
        .address()
        .toString();
  }

  private static String services(NetsvcMember m) throws Exception {
    return get(m, "/servicelb/services").body();
  }

  private static int status(NetsvcMember m, String path) throws Exception {
    return get(m, path).statusCode();
  }

  private static HttpResponse<String> get(NetsvcMember m, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(m.member().managementUrl().replaceAll("/$", "") + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
