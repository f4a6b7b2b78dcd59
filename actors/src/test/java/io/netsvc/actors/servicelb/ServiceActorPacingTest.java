package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.servicelb.ServiceActor.Changed;
import io.netsvc.actors.servicelb.ServiceActor.Command;
import io.netsvc.actors.servicelb.ServiceActor.PoolChanged;
import io.netsvc.actors.servicelb.ServiceActor.PortDecision;
import io.netsvc.actors.servicelb.ServiceActor.SvclbPod;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.StatusPatch;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How often a ServiceActor writes the status while its svclb pods come up one by one: the partial
 * list is held back longer after each write, the complete one is written at once. The actor runs on
 * a manual clock (its ledgers and pool are silent stand-ins in a cluster of their own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceActorPacingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final int NODES = 200;

  OneMemberCluster cluster;
  ActorTestKit kit;
  ManualTime clock;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceActorPacingTest").withSilentEntities();
    kit = ActorTestKit.create("ServiceActorPacingClock", ManualTime.config());
    clock = ManualTime.get(kit.system());
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
    cluster.close();
  }

  /**
   * 200 svclb pods turn Ready a second apart: a fixed 250 ms pace wrote a list per pod (200 writes
   * of up to 200 addresses); the backoff writes a few dozen at most, the last one complete.
   */
  @Test
  void podsReadyOneByOneCostFewStatusWritesAndTheLastIsComplete() {
    FakeServiceLbApi api = new FakeServiceLbApi();
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) nodes.add(Fixtures.node("n" + i, "InternalIP=" + ip(i)));
    ActorRef<Command> actor = served(api, Fixtures.svc().name("paced").build(), nodes);

    for (int i = 0; i < NODES - 1; i++) {
      actor.tell(readyPod(i));
      handled(actor); // also the result of a write the last second started
      clock.timePasses(Duration.ofSeconds(1));
    }
    assertThat(api.statusPatches).as("partial lists were written").isNotEmpty();
    assertThat(api.statusPatches.size()).as("partial status writes").isLessThanOrEqualTo(20);

    actor.tell(readyPod(NODES - 1)); // the last one: no time passes, it is written anyway
    await()
        .atMost(WAIT)
        .until(() -> api.statusPatches.get(api.statusPatches.size() - 1).ingress().size() == NODES);
    List<IngressInfo> last = api.statusPatches.get(api.statusPatches.size() - 1).ingress();
    assertThat(last).extracting(IngressInfo::ip).contains(ip(0), ip(NODES - 1));
    assertThat(api.statusPatches).extracting(StatusPatch::service).containsOnly("default/paced");
  }

  /** An address going away is written at the first pace again, not after the long hold. */
  @Test
  void aLostAddressIsWrittenAtTheFirstPace() {
    FakeServiceLbApi api = new FakeServiceLbApi();
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 40; i++) nodes.add(Fixtures.node("n" + i, "InternalIP=" + ip(i)));
    ActorRef<Command> actor = served(api, Fixtures.svc().name("lost").build(), nodes);
    for (int i = 0; i < 30; i++) {
      actor.tell(readyPod(i));
      handled(actor);
      clock.timePasses(Duration.ofSeconds(1));
    }
    handled(actor);
    int before = api.statusPatches.size();

    actor.tell(new SvclbPod(readyPod(0).pod(), true)); // n0's pod is gone
    handled(actor);
    clock.timePasses(StatusPacer.FIRST);
    await().atMost(WAIT).until(() -> api.statusPatches.size() > before);
    assertThat(api.statusPatches.get(api.statusPatches.size() - 1).ingress())
        .extracting(IngressInfo::ip)
        .doesNotContain(ip(0))
        .contains(ip(1), ip(29));
  }

  /** A Service whose pool has these nodes and whose ledgers granted all, its DaemonSet applied. */
  private ActorRef<Command> served(FakeServiceLbApi api, ServiceInfo svc, List<NodeInfo> nodes) {
    ServiceLbDeps deps = new ServiceLbDeps(api, RENDER, cluster.sharding(), Duration.ofMillis(50));
    ActorRef<Command> actor = kit.spawn(ServiceActor.create(svc.key(), deps));
    actor.tell(new Changed(svc));
    actor.tell(new PoolChanged(PoolActor.DEFAULT, false, nodes));
    for (NodeInfo n : nodes) actor.tell(new PortDecision(n.name(), true, List.of()));
    await().atMost(WAIT).until(() -> api.applied.size() == 1);
    return actor;
  }

  /** Returns once the actor handled everything sent to it before. */
  private void handled(ActorRef<Command> actor) {
    TestProbe<ServiceActor.Summary> reply = kit.createTestProbe();
    actor.tell(new ServiceActor.GetSummary(reply.getRef()));
    reply.receiveMessage(WAIT);
  }

  private static String ip(int i) {
    return "10.0." + (i / 250) + "." + (i % 250 + 1);
  }

  private static SvclbPod readyPod(int i) {
    return new SvclbPod(Fixtures.svclbPod("n" + i, true, false, "10.42.0.1"), false);
  }
}
