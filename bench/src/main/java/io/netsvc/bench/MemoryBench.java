package io.netsvc.bench;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.cluster.NetsvcMember;
import io.netsvc.config.Settings;
import io.netsvc.sim.SimRunner;
import io.netsvc.sim.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Memory benchmark: retained heap per entity kind, informer caches excluded. In one {@code netsvc
 * sim} (one member), S LoadBalancer Services, N nodes, Q NetworkPolicies over P pods are loaded and
 * left to settle (every Service has its ingress, every policy is applied on its nodes). Then a
 * class histogram of the live heap is taken (the JVM's GC.class_histogram, after a full GC), and
 * one entity kind after the other is stopped (its shard region shut down gracefully: the entities
 * stop, the member's informers, the API and the simulated nodes stay) and the histogram taken
 * again. What went away is that kind's retained heap: its actors, their state and whatever only
 * they held; objects they share with the informer caches stay, so the caches are not counted.
 * Divided by the kind's live entities, it is the cost per entity, against the goal of 2 KiB per
 * Service, Node or policy. Then the informer caches, kind by kind, with the entities stopped
 * ({@link CacheProbe}): bytes per cached object, fabric8's store and netsvc's records. Usage:
 * {@code scripts/bench-memory [services] [nodes] [policies] [pods] [svclb nodes]}.
 *
 * <p>The simulated nodes apply NetworkPolicies with {@link AckingDataplane}: they acknowledge every
 * change but keep no kernel; a kernel per node of one JVM costs ~0.8 MiB per policy at the default
 * size (each node holds the sets of every policy on it) and is no part of what is measured here.
 *
 * <p>ServiceActors passivate once idle (netsvc.entity-idle-timeout, 30 s): a settled Service would
 * cost nothing. The benchmark turns that off (unless -Dnetsvc.entity-idle-timeout is given) to
 * measure a Service's entity while it exists.
 */
public final class MemoryBench {
  private MemoryBench() {}

  /**
   * A sharding type, its actor, and whether the 2 KiB goal applies; in the order they stop: those
   * that others send to first, so that no live entity reacts to a stopped one by building state of
   * its own (with the policies stopped first, the NodeActors grew by their rendered rules). Nodes
   * receive from Services and policies; those from their pool and namespaces.
   */
  private record Type(String name, String actor, boolean goal) {}

  private static final List<Type> TYPES =
      List.of(
          new Type("Node", "NodeActor", true),
          new Type("ServiceLbService", "ServiceActor", true),
          new Type("NetworkPolicy", "NetworkPolicyActor", true),
          new Type("ServiceLbPool", "PoolActor", false),
          new Type("NetpolNamespace", "NamespaceActor", false));

  public static void main(String[] args) throws Exception {
    int services = arg(args, 0, 10_000);
    int nodes = arg(args, 1, 1_000);
    int policies = arg(args, 2, 10_000);
    int pods = arg(args, 3, 3_000);
    int lbNodes = Math.min(nodes, arg(args, 4, 3));
    if (System.getProperty("netsvc.entity-idle-timeout") == null) {
      System.setProperty("netsvc.entity-idle-timeout", "0s");
      ConfigFactory.invalidateCaches();
    }
    Settings settings =
        BenchSim.settings(
            "netsvc-memory-bench",
            nodes,
            "--disable",
            "traefik,coredns",
            "--disable-cloud-controller");
    try (Progress progress = Progress.benchmark("memory")) {
      progress.phase("starting the sim", -1);
      try (SimRunner sim = SimRunner.start(settings, node -> new AckingDataplane())) {
        List<ActorSystem<?>> systems =
            sim.members().stream().<ActorSystem<?>>map(m -> m.member().system()).toList();
        KubernetesClient client = sim.newClient();
        MemoryLoad load = new MemoryLoad(client, progress);
        load.labelLbNodes(lbNodes);
        load.createPolicies(pods, policies);
        load.createServices(services);
        load.awaitIngress(services, lbNodes, Duration.ofMinutes(60));
        load.awaitPolicies(ClusterSharding.get(systems.get(0)), policies, Duration.ofMinutes(60));
        progress.phase("a quiet pause", -1);
        Thread.sleep(5000);
        Result r = measure(sim.members(), systems, progress);
        progress.printTable();
        r.print(services, nodes, policies, pods, lbNodes);
        client.close();
      }
    }
    System.exit(0);
  }

  /** A field, not a local: a local the method no longer reads may be collected before its end. */
  private static HeapHistogram warmUp;

  /** What the kinds' stops showed; histograms reduced to the rows printed. */
  private record Result(
      HeapHistogram loaded,
      long fabric8,
      long rest,
      HeapHistogram drift,
      List<MemoryTable.Kind> kinds,
      List<HeapHistogram> gone,
      List<String> notes,
      CacheProbe.Result caches) {

    void print(int services, int nodes, int policies, int pods, int lbNodes) {
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "memory: %d Services (svclb on %d nodes), %d nodes, %d policies, %d pods;"
              + " netsvc.entity-idle-timeout=%s%n",
          services,
          lbNodes,
          nodes,
          policies,
          pods,
          System.getProperty("netsvc.entity-idle-timeout"));
      System.out.printf(
          Locale.ROOT,
          "live heap after a full GC: %.1f MiB loaded; %.1f MiB once every entity kind was stopped"
              + " (the API's objects, the simulated nodes and agents, the informer caches, Pekko)%n",
          loaded.bytes() / 1048576.0,
          rest / 1048576.0);
      System.out.printf(
          Locale.ROOT,
          "fabric8 model classes, shallow bytes only: %.1f MiB (the API's objects and every"
              + " informer's cache)%n",
          fabric8 / 1048576.0);
      System.out.println();
      System.out.print(MemoryTable.table(kinds));
      System.out.printf(
          Locale.ROOT,
          "control: %.1f KiB went away with nothing stopped, between two histograms 2 s apart"
              + " (negative: the heap grew); each row above carries noise of that order%n",
          drift.bytes() / 1024.0);
      notes.forEach(n -> System.out.println("note: " + n));
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "informer caches, per kind: the informer dropped, then netsvc's records of it (live heap"
              + " %.1f MiB once all were gone; noise: %.1f KiB moved with nothing dropped)%n",
          caches.heapBytes() / 1048576.0,
          caches.noise() / 1024.0);
      System.out.print(CacheTable.table(caches.samples(), caches.noise()));
      caches.steps().forEach(x -> System.out.println("cache step: " + x));
      System.out.println();
      System.out.println("top 15 classes of the live heap, everything loaded:");
      System.out.print(HeapHistogram.table(loaded.top(15, n -> true), loaded.bytes()));
      System.out.println();
      System.out.println("top 15 io.netsvc classes of the live heap, everything loaded:");
      System.out.print(
          HeapHistogram.table(loaded.top(15, n -> n.startsWith("io.netsvc.")), loaded.bytes()));
      System.out.println();
      System.out.println("control, what went away with nothing stopped:");
      System.out.print(HeapHistogram.table(drift.top(11, n -> true), drift.bytes()));
      for (int i = 0; i < kinds.size(); i++) {
        MemoryTable.Kind k = kinds.get(i);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "what went away with %s %s (%d entities), top 8, then the 3 that grew most:%n",
            k.kind(),
            k.actor(),
            k.entities());
        System.out.print(HeapHistogram.table(gone.get(i).top(11, n -> true), gone.get(i).bytes()));
      }
    }
  }

  /**
   * Histograms, then the kinds stopped one by one. Every histogram is taken while this method holds
   * exactly one full histogram (the previous one) and reduced summaries: its own objects weigh the
   * same in the two histograms of a difference and cancel out.
   */
  private static Result measure(
      List<NetsvcMember> members, List<ActorSystem<?>> systems, Progress progress)
      throws Exception {
    progress.phase("class histograms, everything loaded", -1);
    warmUp = HeapProbe.histogram(); // held while the first one is taken, as later ones are
    HeapHistogram loaded = HeapProbe.histogram();
    warmUp = null;
    HeapHistogram loadedRows =
        loaded.keep(
            concat(loaded.top(15, n -> true), loaded.top(15, n -> n.startsWith("io.netsvc."))));
    long fabric8 = loaded.bytes(n -> n.startsWith("io.fabric8.kubernetes.api.model."));
    // what the heap does with nothing stopped, over about as long as a kind takes to stop: the
    // noise every row below carries (watch logs, buffers, caches of the JDK filling up)
    progress.phase("control: a class histogram again, nothing stopped", -1);
    Thread.sleep(2000);
    HeapHistogram control = HeapProbe.histogram();
    HeapHistogram drift = summary(loaded.minus(control));
    loaded = null;
    HeapHistogram previous = control;
    control = null; // one full histogram held from here on: previous
    List<MemoryTable.Kind> kinds = new ArrayList<>();
    List<HeapHistogram> gone = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Type t : TYPES) previous = stop(t, systems, previous, progress, kinds, gone, notes);
    long rest = previous.bytes();
    previous = null; // the caches' histograms hold their own
    CacheProbe.Result caches = CacheProbe.measure(members, progress);
    return new Result(loadedRows, fabric8, rest, drift, kinds, gone, notes, caches);
  }

  /**
   * Stops kind {@code t}, takes the next histogram and adds the difference to the results; returns
   * that histogram. A method of its own so that nothing of one step (its full difference) is still
   * held by a local of the loop when the next step's histogram is taken.
   */
  private static HeapHistogram stop(
      Type t,
      List<ActorSystem<?>> systems,
      HeapHistogram previous,
      Progress progress,
      List<MemoryTable.Kind> kinds,
      List<HeapHistogram> gone,
      List<String> notes)
      throws Exception {
    long entities = HeapProbe.entities(systems, t.name());
    progress.phase("stopping the " + entities + " " + t.actor() + "s, then a class histogram", -1);
    if (!HeapProbe.stopAll(systems, t.name(), Duration.ofSeconds(60))) {
      notes.add(
          t.actor() + ": " + HeapProbe.entities(systems, t.name()) + " still live after 60 s");
    }
    HeapHistogram after = HeapProbe.histogram();
    HeapHistogram diff = previous.minus(after);
    kinds.add(new MemoryTable.Kind(t.name(), t.actor(), entities, diff.bytes(), t.goal()));
    gone.add(summary(diff));
    return after;
  }

  /** A difference's 8 classes that went away most and the 3 that grew most. */
  private static HeapHistogram summary(HeapHistogram diff) {
    return diff.keep(concat(diff.top(8, n -> true), diff.grown(3)));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    for (T x : b) if (!all.contains(x)) all.add(x);
    return all;
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
