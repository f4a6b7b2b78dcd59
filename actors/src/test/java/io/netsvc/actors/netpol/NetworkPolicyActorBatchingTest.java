package io.netsvc.actors.netpol;

import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.Effect;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How NetworkPolicyActor paces its compiles, with the actor in a {@link BehaviorTestKit} so the
 * test decides when its timer fires and how much time passes: a lone change compiles at once, a
 * burst of changes is one compile, and after an expensive compile the next one waits four times as
 * long as that took. Fragments still reach NodeActor stand-ins through the real sharding of a
 * one-member cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkPolicyActorBatchingTest {
  OneMemberCluster cluster;
  final List<Long> compiles = new CopyOnWriteArrayList<>();
  final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NetworkPolicyActorBatchingTest", false);
    cluster.standIn(NamespaceActor.TYPE_KEY);
    cluster.standIn(NodeActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private BehaviorTestKit<NetworkPolicyActor.Command> actor(NetworkPolicyInfo p) {
    compiles.clear();
    NetpolDeps deps =
        new NetpolDeps(cluster.sharding(), new RecordedEvents(), compiles::add)
            .withClock(clock::get);
    return BehaviorTestKit.create(NetworkPolicyActor.create(p.key(), deps));
  }

  static NetpolPod pod(String ns, String name, String node, String ip) {
    return new NetpolPod(ns, name, node, Map.of("app", "web"), ip, null, List.of(), false, false);
  }

  /** The compile timers the actor started since the last call. */
  private static List<Effect.TimerScheduled<?>> timers(BehaviorTestKit<?> kit) {
    List<Effect.TimerScheduled<?>> out = new ArrayList<>();
    for (Effect e : kit.getAllEffects()) {
      if (e instanceof Effect.TimerScheduled<?> t) out.add(t);
    }
    return out;
  }

  /** Lets the timer fire: its message reaches the actor now. */
  private static void fire(BehaviorTestKit<?> kit, Effect.TimerScheduled<?> timer) {
    timer.send().apply();
    kit.runOne();
  }

  @Test
  void aBurstOfPodChangesIsOneCompileAndOneFragmentPerNode() {
    NetworkPolicyInfo p = ingress("burst", "deny-web", labels("app", "web"));
    BehaviorTestKit<NetworkPolicyActor.Command> kit = actor(p);
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "burst-n1");
    kit.run(new NetworkPolicyActor.PolicyChanged(p));
    List<Effect.TimerScheduled<?>> started = timers(kit);
    assertThat(started).hasSize(1);
    assertThat(started.get(0).duration()).isEqualTo(NetworkPolicyActor.BATCH);

    Set<String> keys = new TreeSet<>();
    for (int i = 0; i < 200; i++) {
      NetpolPod pod = pod("burst", "web-" + i, "burst-n1", "10.42.7." + (i + 1));
      kit.run(new NetworkPolicyActor.PodChanged(pod));
      keys.add(pod.key());
    }
    assertThat(timers(kit)).as("the pending compile covers the whole burst").isEmpty();
    assertThat(compiles).isEmpty();

    fire(kit, started.get(0));
    assertThat(compiles).hasSize(1);
    NodeActor.PolicyFragment f =
        node.expectMessageClass(NodeActor.PolicyFragment.class, Duration.ofSeconds(10));
    assertThat(f.generation()).isEqualTo(1);
    assertThat(f.policy().targets()).containsExactlyElementsOf(keys);

    // the next change right after the compile starts the next batch
    kit.run(new NetworkPolicyActor.PodGone("burst", "web-0"));
    assertThat(timers(kit)).hasSize(1);
    assertThat(compiles).hasSize(1);
  }

  @Test
  void aLoneChangeCompilesAndGoesOutAtOnce() {
    NetworkPolicyInfo p = ingress("lone", "deny-web", labels("app", "web"));
    BehaviorTestKit<NetworkPolicyActor.Command> kit = actor(p);
    TestProbe<NodeActor.Command> node = cluster.probe(NodeActor.TYPE_KEY, "lone-n1");
    kit.run(new NetworkPolicyActor.PolicyChanged(p));
    // the first compile waits for the namespace's snapshot
    Effect.TimerScheduled<?> first = timers(kit).get(0);
    kit.run(
        new NetworkPolicyActor.NamespaceSnapshot(
            "lone",
            new NamespaceInfo("lone", Map.of()),
            List.of(pod("lone", "web-0", "lone-n1", "10.42.8.1"))));
    fire(kit, first);
    assertThat(node.expectMessageClass(NodeActor.PolicyFragment.class, Duration.ofSeconds(10)))
        .extracting(NodeActor.PolicyFragment::generation)
        .isEqualTo(1L);

    clock.addAndGet(NetworkPolicyActor.MAX_BATCH.toNanos()); // quiet for longer than any wait
    kit.run(new NetworkPolicyActor.PodChanged(pod("lone", "web-1", "lone-n1", "10.42.8.2")));
    assertThat(timers(kit)).as("nothing waits").isEmpty();
    assertThat(compiles).hasSize(2);
    NodeActor.PolicyFragment f =
        node.expectMessageClass(NodeActor.PolicyFragment.class, Duration.ofSeconds(10));
    assertThat(f.generation()).isEqualTo(2);
    assertThat(f.policy().targets()).containsExactly("lone/web-0", "lone/web-1");
  }

  @Test
  void aPodThePolicyDoesNotSelectCostsNoCompile() {
    NetworkPolicyInfo p = ingress("calm2", "deny-web", labels("app", "web"));
    BehaviorTestKit<NetworkPolicyActor.Command> kit = actor(p);
    kit.run(new NetworkPolicyActor.PolicyChanged(p));
    Effect.TimerScheduled<?> first = timers(kit).get(0);
    kit.run(
        new NetworkPolicyActor.NamespaceSnapshot(
            "calm2", new NamespaceInfo("calm2", Map.of()), List.of()));
    fire(kit, first);
    assertThat(compiles).hasSize(1);

    clock.addAndGet(NetworkPolicyActor.MAX_BATCH.toNanos()); // quiet for longer than any wait
    NetpolPod batch =
        new NetpolPod(
            "calm2",
            "batch-0",
            "calm2-n1",
            Map.of("app", "batch"),
            "10.42.9.1",
            null,
            List.of(),
            false,
            false);
    kit.run(new NetworkPolicyActor.PodChanged(batch));
    kit.run(new NetworkPolicyActor.PodGone("calm2", "batch-0"));
    assertThat(timers(kit)).isEmpty();
    assertThat(compiles).as("neither the pod nor its deletion concerns the policy").hasSize(1);

    kit.run(new NetworkPolicyActor.PodChanged(pod("calm2", "web-0", "calm2-n1", "10.42.9.2")));
    assertThat(compiles).hasSize(2);
  }

  @Test
  void afterAnExpensiveCompileTheNextWaitsFourTimesAsLong() {
    // a namespace selector reads every namespace: 6 namespaces of 5,000 selected pods each (a
    // compile of tens of milliseconds, so four times it is over the 50 ms batch)
    NetworkPolicyInfo p = ingress("big", "from-all", labels(), rule(List.of(namespaces(labels()))));
    BehaviorTestKit<NetworkPolicyActor.Command> kit = actor(p);
    kit.run(new NetworkPolicyActor.PolicyChanged(p));
    Effect.TimerScheduled<?> first = timers(kit).get(0);
    List<String> names = new ArrayList<>();
    for (int n = 0; n < 5; n++) names.add("big-" + n);
    names.add("big");
    kit.run(new NetworkPolicyActor.Namespaces(Set.copyOf(names)));
    for (int n = 0; n < names.size(); n++) {
      String ns = names.get(n);
      List<NetpolPod> pods = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        pods.add(
            pod(
                ns,
                "p" + i,
                "big-n" + (i % 10),
                "10." + (100 + n) + "." + (i / 250) + "." + (i % 250 + 1)));
      }
      kit.run(new NetworkPolicyActor.NamespaceSnapshot(ns, new NamespaceInfo(ns, Map.of()), pods));
    }
    fire(kit, first);
    assertThat(compiles).hasSize(1);
    long took = compiles.get(0);
    assertThat(Duration.ofNanos(took * 4))
        .as("the fixture must make compiling expensive, or this test shows nothing")
        .isGreaterThan(NetworkPolicyActor.BATCH);

    kit.run(new NetworkPolicyActor.PodGone("big-3", "p7"));
    List<Effect.TimerScheduled<?>> next = timers(kit);
    assertThat(next).hasSize(1);
    long expected =
        Math.max(
            NetworkPolicyActor.BATCH.toNanos(),
            Math.min(NetworkPolicyActor.MAX_BATCH.toNanos(), took * 4));
    assertThat(next.get(0).duration()).isEqualTo(Duration.ofNanos(expected));
  }
}
