package io.netsvc.actors.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NamespaceActor in a one-member cluster; its subscribers are NetworkPolicyActor stand-ins. Each
 * test makes a real change after a no-op and expects that change as the very next message, so a
 * message that should not have been sent makes it fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespaceActorTest {
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NamespaceActorTest", true);
    cluster.standIn(NetworkPolicyActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  static NetpolPod pod(String ns, String name, String ip, String... labels) {
    Map<String, String> l = labels.length == 0 ? Map.of() : Map.of(labels[0], labels[1]);
    return new NetpolPod(ns, name, "n1", l, ip, null, List.of(), false, false);
  }

  private ActorRef<NamespaceActor.Command> namespace(String name) {
    return cluster.kit().spawn(NamespaceActor.create(name, cluster.sharding()));
  }

  private TestProbe<NetworkPolicyActor.Command> policy(String key) {
    return cluster.probe(NetworkPolicyActor.TYPE_KEY, key);
  }

  private static <T extends NetworkPolicyActor.Command> T next(
      TestProbe<NetworkPolicyActor.Command> p, Class<T> type) {
    return p.expectMessageClass(type, Duration.ofSeconds(10));
  }

  @Test
  void aSubscriberGetsTheWholeNamespaceAtOnce() {
    ActorRef<NamespaceActor.Command> shop = namespace("shop");
    NamespaceInfo info = new NamespaceInfo("shop", Map.of("team", "web"));
    NetpolPod web = pod("shop", "web", "10.42.0.10", "app", "web");
    NetpolPod db = pod("shop", "db", "10.42.0.11", "app", "db");
    shop.tell(new NamespaceActor.Labels(info));
    shop.tell(new NamespaceActor.Pod(web));
    shop.tell(new NamespaceActor.Pod(db));

    TestProbe<NetworkPolicyActor.Command> p = policy("shop/allow-web");
    shop.tell(new NamespaceActor.Subscribe("shop/allow-web"));
    NetworkPolicyActor.NamespaceSnapshot s = next(p, NetworkPolicyActor.NamespaceSnapshot.class);
    assertThat(s.namespace()).isEqualTo("shop");
    assertThat(s.info()).isEqualTo(info);
    assertThat(s.pods()).containsExactlyInAnyOrder(web, db);
  }

  @Test
  void subscribersHearLabelAndPodChangesButNotRepeats() {
    ActorRef<NamespaceActor.Command> ns = namespace("blue");
    TestProbe<NetworkPolicyActor.Command> a = policy("x/a");
    TestProbe<NetworkPolicyActor.Command> b = policy("y/b");
    ns.tell(new NamespaceActor.Subscribe("x/a"));
    ns.tell(new NamespaceActor.Subscribe("y/b"));
    Map<TestProbe<NetworkPolicyActor.Command>, Long> version = new java.util.HashMap<>();
    for (TestProbe<NetworkPolicyActor.Command> p : List.of(a, b)) {
      NetworkPolicyActor.NamespaceSnapshot empty =
          next(p, NetworkPolicyActor.NamespaceSnapshot.class);
      assertThat(empty.info()).isNull();
      assertThat(empty.pods()).isEmpty();
      version.put(p, empty.view().version());
    }

    NamespaceInfo labelled = new NamespaceInfo("blue", Map.of("env", "prod"));
    ns.tell(new NamespaceActor.Labels(labelled));
    ns.tell(new NamespaceActor.Labels(labelled)); // a resync repeats it
    NetpolPod p1 = pod("blue", "p1", "10.42.0.20", "app", "api");
    ns.tell(new NamespaceActor.Pod(p1));
    ns.tell(new NamespaceActor.Pod(p1));
    NetpolPod p1Relabelled = pod("blue", "p1", "10.42.0.20", "app", "worker");
    ns.tell(new NamespaceActor.Pod(p1Relabelled));
    ns.tell(new NamespaceActor.PodGone("never-there"));
    ns.tell(new NamespaceActor.PodGone("p1"));

    for (TestProbe<NetworkPolicyActor.Command> p : List.of(a, b)) {
      // each change is the next version of the view the snapshot was: a policy on another
      // member applies it to the view it holds, and would ask again after a gap
      long v = version.get(p);
      NetworkPolicyActor.NamespaceChanged labels =
          next(p, NetworkPolicyActor.NamespaceChanged.class);
      assertThat(labels)
          .usingRecursiveComparison()
          .ignoringFields("version", "view")
          .isEqualTo(new NetworkPolicyActor.NamespaceChanged("blue", labelled));
      assertThat(labels.version()).isEqualTo(v + 1);
      NetworkPolicyActor.PodChanged added = next(p, NetworkPolicyActor.PodChanged.class);
      assertThat(added.pod()).isEqualTo(p1);
      assertThat(added.version()).isEqualTo(v + 2);
      NetworkPolicyActor.PodChanged relabelled = next(p, NetworkPolicyActor.PodChanged.class);
      assertThat(relabelled.pod()).isEqualTo(p1Relabelled);
      assertThat(relabelled.version()).isEqualTo(v + 3);
      NetworkPolicyActor.PodGone gone = next(p, NetworkPolicyActor.PodGone.class);
      assertThat(gone)
          .usingRecursiveComparison()
          .ignoringFields("version", "view")
          .isEqualTo(new NetworkPolicyActor.PodGone("blue", "p1"));
      assertThat(gone.version()).isEqualTo(v + 4);
    }
  }

  @Test
  void anUnsubscribedPolicyHearsNothingMore() {
    ActorRef<NamespaceActor.Command> ns = namespace("green");
    TestProbe<NetworkPolicyActor.Command> gone = policy("green/gone");
    TestProbe<NetworkPolicyActor.Command> stays = policy("green/stays");
    ns.tell(new NamespaceActor.Subscribe("green/gone"));
    ns.tell(new NamespaceActor.Subscribe("green/stays"));
    next(gone, NetworkPolicyActor.NamespaceSnapshot.class);
    next(stays, NetworkPolicyActor.NamespaceSnapshot.class);

    ns.tell(new NamespaceActor.Unsubscribe("green/gone"));
    NetpolPod p = pod("green", "p", "10.42.0.30");
    ns.tell(new NamespaceActor.Pod(p));
    assertThat(next(stays, NetworkPolicyActor.PodChanged.class).pod()).isEqualTo(p);

    // subscribing again brings a snapshot first; the pod change in between never reached it
    ns.tell(new NamespaceActor.Subscribe("green/gone"));
    assertThat(next(gone, NetworkPolicyActor.NamespaceSnapshot.class).pods()).containsExactly(p);
  }

  @Test
  void aDeletedNamespaceIsToldAsNoLabelsAndKeepsItsPodsUntilTheyGo() {
    ActorRef<NamespaceActor.Command> ns = namespace("red");
    TestProbe<NetworkPolicyActor.Command> p = policy("other/from-red");
    NamespaceInfo info = new NamespaceInfo("red", Map.of("env", "dev"));
    NetpolPod pod = pod("red", "p", "10.42.0.40");
    ns.tell(new NamespaceActor.Labels(info));
    ns.tell(new NamespaceActor.Pod(pod));
    ns.tell(new NamespaceActor.Subscribe("other/from-red"));
    next(p, NetworkPolicyActor.NamespaceSnapshot.class);

    ns.tell(new NamespaceActor.Labels(null));
    assertThat(next(p, NetworkPolicyActor.NamespaceChanged.class))
        .usingRecursiveComparison()
        .ignoringFields("version", "view")
        .isEqualTo(new NetworkPolicyActor.NamespaceChanged("red", null));
    TestProbe<NetworkPolicyActor.Command> late = policy("other/late");
    ns.tell(new NamespaceActor.Subscribe("other/late"));
    NetworkPolicyActor.NamespaceSnapshot s = next(late, NetworkPolicyActor.NamespaceSnapshot.class);
    assertThat(s.info()).isNull();
    assertThat(s.pods()).containsExactly(pod);

    // the pods' own deletions follow the namespace's (the watch reports each)
    ns.tell(new NamespaceActor.PodGone("p"));
    for (TestProbe<NetworkPolicyActor.Command> each : List.of(p, late)) {
      assertThat(next(each, NetworkPolicyActor.PodGone.class))
          .usingRecursiveComparison()
          .ignoringFields("version", "view")
          .isEqualTo(new NetworkPolicyActor.PodGone("red", "p"));
    }
  }

  @Test
  void aRebuiltNamespaceThatDoesNotKnowASubscriberLearnsItFromItsResubscribe() {
    // a fresh incarnation: its caches did not list the policy, so it has no subscribers
    ActorRef<NamespaceActor.Command> ns = namespace("blue");
    NetpolPod pod = pod("blue", "p", "10.42.0.50");
    ns.tell(new NamespaceActor.Pod(pod));
    TestProbe<NetworkPolicyActor.Command> p = policy("blue/allow");
    ns.tell(new NamespaceActor.Resubscribe("blue/allow"));
    assertThat(next(p, NetworkPolicyActor.NamespaceSnapshot.class).pods()).containsExactly(pod);

    // known now: a repeated reminder costs nothing, and changes flow again
    ns.tell(new NamespaceActor.Resubscribe("blue/allow"));
    ns.tell(new NamespaceActor.PodGone("p"));
    assertThat(p.receiveMessage(Duration.ofSeconds(10)))
        .usingRecursiveComparison()
        .ignoringFields("version", "view")
        .isEqualTo(new NetworkPolicyActor.PodGone("blue", "p"));
  }
}
