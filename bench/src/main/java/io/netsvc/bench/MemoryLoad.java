package io.netsvc.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.sim.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The memory benchmark's load, through the embedded API: namespaces, pods and NetworkPolicies (the
 * mix of {@link NetpolSimBench}), LoadBalancer Services, and the wait until it has settled: every
 * Service lists an ingress address per svclb node, every policy is realised on its nodes.
 *
 * <p>svclb runs on {@code lbNodes} nodes only (labelled {@code enablelb=true}, K3s's allow-list
 * mode): one svclb pod per Service and node, so on every node of 1,000 the API would hold 10
 * million of them for 10,000 Services; each Service's entity still tracks all of its nodes.
 */
final class MemoryLoad {
  private final KubernetesClient client;
  private final Progress progress;

  MemoryLoad(KubernetesClient client, Progress progress) {
    this.client = client;
    this.progress = progress;
  }

  /** Labels the first {@code n} nodes (by name) as the only ones to run svclb pods. */
  void labelLbNodes(int n) {
    List<String> names =
        client.nodes().list().getItems().stream()
            .map(x -> x.getMetadata().getName())
            .sorted(Comparator.naturalOrder())
            .limit(n)
            .toList();
    Progress.Phase done = progress.phase("labelling svclb nodes", names.size());
    for (String name : names) {
      client
          .nodes()
          .withName(name)
          .edit(
              (Node x) ->
                  new NodeBuilder(x)
                      .editMetadata()
                      .addToLabels(SvclbNames.ENABLELB_LABEL, "true")
                      .endMetadata()
                      .build());
      done.increment();
    }
  }

  /** Namespaces, then pods, then policies, 8 writers at a time. */
  void createPolicies(int pods, int policies) throws Exception {
    Progress.Phase namespaces = progress.phase("creating namespaces", NetpolSimBench.NAMESPACES);
    for (int n = 0; n < NetpolSimBench.NAMESPACES; n++) {
      client.namespaces().resource(NetpolSimBench.namespace(n)).create();
      namespaces.increment();
    }
    Progress.Phase podsDone = progress.phase("creating pods", pods);
    inParallel(pods, i -> client.pods().resource(NetpolSimBench.pod(i)).create(), podsDone);
    Progress.Phase policiesDone = progress.phase("creating policies", policies);
    inParallel(
        policies,
        i ->
            client
                .network()
                .v1()
                .networkPolicies()
                .resource(NetpolSimBench.policy(namespace(i), policyName(i), i))
                .create(),
        policiesDone);
  }

  void createServices(int services) throws Exception {
    Progress.Phase done = progress.phase("creating Services", services);
    inParallel(services, i -> client.services().resource(lb(i)).create(), done);
  }

  /** Until every Service lists {@code lbNodes} ingress addresses; polls the API every 2 s. */
  void awaitIngress(int services, int lbNodes, Duration max) throws Exception {
    AtomicLong ready = new AtomicLong();
    progress.phase("Services with every svclb node's ingress", services, ready::get);
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long n =
          client.services().inNamespace("default").list().getItems().stream()
              .filter(s -> s.getMetadata().getName().startsWith("mem-"))
              .filter(s -> ingress(s) >= lbNodes)
              .count();
      ready.set(n);
      if (n >= services) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(n + " of " + services + " Services with ingress by " + max);
      }
      Thread.sleep(2000);
    }
  }

  /**
   * Until every policy was sent somewhere and every node it was sent to applied that generation,
   * asking the policies not yet realised, 256 at a time.
   */
  void awaitPolicies(ClusterSharding sharding, int policies, Duration max) throws Exception {
    Set<Integer> pending = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < policies; i++) pending.add(i);
    progress.phase("policies realised on their nodes", policies, () -> policies - pending.size());
    long deadline = System.nanoTime() + max.toNanos();
    while (!pending.isEmpty()) {
      List<Integer> round = new ArrayList<>(pending);
      for (int from = 0; from < round.size(); from += 256) {
        List<CompletableFuture<?>> asks = new ArrayList<>();
        for (int i : round.subList(from, Math.min(round.size(), from + 256))) {
          asks.add(
              sharding
                  .entityRefFor(NetworkPolicyActor.TYPE_KEY, namespace(i) + "/" + policyName(i))
                  .ask(NetworkPolicyActor.GetStatus::new, Duration.ofSeconds(30))
                  .toCompletableFuture()
                  .thenAccept(
                      s -> {
                        if (!s.sent().isEmpty() && s.sent().equals(s.realised())) pending.remove(i);
                      })
                  .exceptionally(e -> null)); // busy: asked again next round
        }
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
      if (pending.isEmpty()) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(pending.size() + " policies not realised by " + max);
      }
      Thread.sleep(1000);
    }
  }

  private static int ingress(Service s) {
    if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null) return 0;
    var list = s.getStatus().getLoadBalancer().getIngress();
    return list == null ? 0 : list.size();
  }

  static String namespace(int i) {
    return "ns-" + (i % NetpolSimBench.NAMESPACES);
  }

  static String policyName(int i) {
    return "p-" + (i / NetpolSimBench.NAMESPACES);
  }

  /** Service {@code i}: a port of its own, so that every Service fits on the same svclb nodes. */
  private static Service lb(int i) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("mem-" + i)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        // svclb needs no NodePort, and the sim's API has 2,768 of them: 10,000 Services would not
        // fit
        .withAllocateLoadBalancerNodePorts(false)
        .addNewPort()
        .withName("p")
        .withPort(10000 + i)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  private interface Create {
    void run(int i) throws Exception;
  }

  private static void inParallel(int n, Create create, Progress.Phase done) throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        all.add(
            writers.submit(
                () -> {
                  create.run(index);
                  done.increment();
                  return null;
                }));
      }
      for (Future<?> f : all) f.get();
    } finally {
      writers.shutdown();
    }
  }
}
