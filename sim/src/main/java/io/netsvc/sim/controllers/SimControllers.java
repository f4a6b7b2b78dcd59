package io.netsvc.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.config.Scenario;
import io.netsvc.config.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a real cluster's control plane and kubelets do that the embedded API does not: nodes,
 * ClusterIP/NodePort allocation, a DaemonSet controller + scheduler, kubelets and EndpointSlices.
 * Every decision runs on one thread (no races with itself); API writes go to a small pool.
 */
public final class SimControllers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimControllers.class);
  private final KubernetesClient client;
  private final Scenario scenario;
  private final ScheduledExecutorService loop;
  private final ExecutorService writers;
  private final SimState state = new SimState();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final DaemonSetController daemonSets;
  private final ServiceController services;
  private final Kubelet kubelet;
  private final DeploymentController deployments;

  private final boolean externalCloudProvider;

  /**
   * @param externalCloudProvider register nodes as kubelets with {@code --cloud-provider=external}
   *     (tainted until a cloud controller initializes them), as K3s does with its cloud controller
   *     on
   */
  public SimControllers(KubernetesClient client, Scenario scenario, boolean externalCloudProvider) {
    this(client, scenario, externalCloudProvider, false);
  }

  /**
   * @param wiredReadiness pods with their own network (not hostNetwork, IPv4) start Running but not
   *     Ready: the network lab marks them Ready once their namespace answers ({@code
   *     --dataplane=netns})
   */
  public SimControllers(
      KubernetesClient client,
      Scenario scenario,
      boolean externalCloudProvider,
      boolean wiredReadiness) {
    this.client = client;
    this.scenario = scenario;
    this.externalCloudProvider = externalCloudProvider;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-controllers"));
    AtomicInteger n = new AtomicInteger();
    this.writers =
        Executors.newFixedThreadPool(8, r -> daemon(r, "sim-writer-" + n.incrementAndGet()));
    Writer writer = new Writer(client, writers, loop);
    this.kubelet = new Kubelet(state, writer, wiredReadiness);
    this.daemonSets = new DaemonSetController(state, writer, kubelet);
    this.services = new ServiceController(state, writer);
    this.deployments = new DeploymentController(state, writer);
  }

  /**
   * The pod CIDRs the simulated kubelets allocate from on the scenario's node number {@code index}:
   * a /20 of 10.128.0.0/9, and a /64 of fd00:42::/48 on dual-stack nodes.
   */
  public static List<String> podCidrs(int index, boolean dualStack) {
    long base = (10L << 24) | (128L << 16) | ((long) index << 12);
    String v4 = (base >> 24 & 255) + "." + (base >> 16 & 255) + "." + (base >> 8 & 255) + ".0/20";
    return dualStack ? List.of(v4, "fd00:42:" + Integer.toHexString(index) + "::/64") : List.of(v4);
  }

  /** The default nodes of {@code netsvc sim --nodes N}. */
  public static Scenario defaultScenario(int nodes) {
    return Scenarios.generate(nodes);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Registers the nodes and starts everything; completes once the watches have synced. */
  public CompletionStage<Void> start() {
    return start(new java.util.concurrent.atomic.AtomicLong());
  }

  /** As {@link #start()}, counting the nodes registered so far in {@code nodesRegistered}. */
  public CompletionStage<Void> start(java.util.concurrent.atomic.AtomicLong nodesRegistered) {
    SimNodes.register(client, scenario.nodes(), externalCloudProvider, nodesRegistered);
    for (int i = 0; i < scenario.nodes().size(); i++) {
      state.nodeIndex.put(scenario.nodes().get(i).name(), i);
    }
    watch(client.nodes().runnableInformer(0), this::onNode, n -> onNodeGone(n));
    watch(
        client.services().inAnyNamespace().runnableInformer(0),
        services::onService,
        services::onServiceGone);
    watch(
        client.apps().daemonSets().inAnyNamespace().runnableInformer(0),
        daemonSets::onDaemonSet,
        daemonSets::onDaemonSetGone);
    watch(
        client.apps().deployments().inAnyNamespace().runnableInformer(0),
        deployments::onDeployment,
        deployments::onDeploymentGone);
    watch(client.pods().inAnyNamespace().runnableInformer(0), this::onPod, this::onPodGone);
    HelmChartSim charts = new HelmChartSim(client);
    loop.scheduleWithFixedDelay(
        () -> writers.execute(charts::check), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    List<CompletableFuture<?>> started = new ArrayList<>();
    for (SharedIndexInformer<?> i : informers) started.add(i.start().toCompletableFuture());
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .thenRunAsync(() -> state.synced = true, loop)
        .thenRunAsync(
            () -> {
              daemonSets.reconcileAll();
              deployments.reconcileAll();
              // over a copy: binding a pod updates the index
              List.copyOf(state.pods.all()).forEach(daemonSets::scheduleBare);
            },
            loop);
  }

  private <T extends HasMetadata> void watch(
      SharedIndexInformer<T> informer, Consumer<T> changed, Consumer<T> gone) {
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T o) {
            run(() -> changed.accept(o));
          }

          @Override
          public void onUpdate(T old, T o) {
            run(() -> changed.accept(o));
          }

          @Override
          public void onDelete(T o, boolean unknown) {
            run(() -> gone.accept(o));
          }
        });
    informers.add(informer);
  }

  private void run(Runnable r) {
    loop.execute(
        () -> {
          try {
            r.run();
          } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!loop.isShutdown()) LOG.warn("sim controller step failed: {}", e.toString(), e);
          } catch (RuntimeException e) {
            LOG.warn("sim controller step failed: {}", e.toString(), e);
          }
        });
  }

  private void onNode(Node n) {
    state.nodes.put(n.getMetadata().getName(), n);
    daemonSets.reconcileAll();
    // a node that changed (e.g. lost its uninitialized taint) may now fit a waiting bare pod
    // over a copy: binding a pod updates the index
    List.copyOf(state.pods.all()).forEach(daemonSets::scheduleBare);
  }

  private void onNodeGone(Node n) {
    state.nodes.remove(n.getMetadata().getName());
    daemonSets.reconcileAll();
  }

  private void onPod(Pod p) {
    state.pods.upsert(p);
    daemonSets.scheduleBare(p);
    kubelet.onPod(p);
    services.onPod(p);
    daemonSets.onPod(p);
  }

  private void onPodGone(Pod p) {
    state.pods.remove(PodIndex.key(p));
    services.onPod(p);
    daemonSets.onPodGone(p);
    deployments.onPodGone(p);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    loop.shutdownNow();
    writers.shutdownNow();
    try {
      writers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
