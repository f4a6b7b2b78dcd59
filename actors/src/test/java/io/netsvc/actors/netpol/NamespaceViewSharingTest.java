package io.netsvc.actors.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.testing.OneMemberCluster;
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
 * Within one JVM (messages not serialized) the policies reading a namespace are handed one and the
 * same view, not a copy each: that is what keeps a policy's memory independent of the pods it
 * reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespaceViewSharingTest {
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NamespaceViewSharingTest", false);
    cluster.standIn(NetworkPolicyActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void everySubscriberGetsTheSameViewOfEachVersion() {
    ActorRef<NamespaceActor.Command> ns =
        cluster.kit().spawn(NamespaceActor.create("shared", cluster.sharding()));
    TestProbe<NetworkPolicyActor.Command> a = cluster.probe(NetworkPolicyActor.TYPE_KEY, "s/a");
    TestProbe<NetworkPolicyActor.Command> b = cluster.probe(NetworkPolicyActor.TYPE_KEY, "s/b");
    ns.tell(new NamespaceActor.Subscribe("s/a"));
    ns.tell(new NamespaceActor.Subscribe("s/b"));
    Duration wait = Duration.ofSeconds(10);
    assertThat(a.expectMessageClass(NetworkPolicyActor.NamespaceSnapshot.class, wait).view())
        .isSameAs(b.expectMessageClass(NetworkPolicyActor.NamespaceSnapshot.class, wait).view());

    NetpolPod pod =
        new NetpolPod("shared", "p", "n1", Map.of(), "10.42.0.9", null, List.of(), false, false);
    ns.tell(new NamespaceActor.Pod(pod));
    NetworkPolicyActor.PodChanged toA =
        a.expectMessageClass(NetworkPolicyActor.PodChanged.class, wait);
    NetworkPolicyActor.PodChanged toB =
        b.expectMessageClass(NetworkPolicyActor.PodChanged.class, wait);
    assertThat(toA.view()).isNotNull().isSameAs(toB.view());
    assertThat(toA.view().pod("p")).isEqualTo(pod);
    assertThat(toA.view().version()).isEqualTo(toA.version());
  }
}
