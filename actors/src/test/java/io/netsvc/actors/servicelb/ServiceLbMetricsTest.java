package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.servicelb.model.PendingReason;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an operator's metrics see of ServiceLB: real ServiceActors, pool and node ledgers in a
 * one-member cluster, reporting to an in-memory {@link ServiceLbMetrics}. Two Services want the
 * same host port on the only node: the first is granted it and waits for its svclb pod, the second
 * is refused (one conflict) and pending for the port; the first's Ready pod gives it its status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RenderOptions RENDER =
      new RenderOptions("kube-system", "klipper-lb", "system-node-critical");
  private static final NodeInfo N1 = Fixtures.node("n1", "InternalIP=10.0.0.1");

  /** What the actors reported, as the Micrometer registry would count it. */
  static final class Recorded implements ServiceLbMetrics {
    final Map<String, PendingReason> pending = new ConcurrentHashMap<>();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger statusOk = new AtomicInteger();
    final AtomicInteger statusFailed = new AtomicInteger();
    final AtomicInteger reconciles = new AtomicInteger();
    final Map<String, List<Integer>> ledgers = new ConcurrentHashMap<>();

    @Override
    public void pending(String serviceKey, PendingReason reason) {
      if (reason == null) pending.remove(serviceKey);
      else pending.put(serviceKey, reason);
    }

    @Override
    public void conflicts(String serviceKey, int count) {
      conflicts.addAndGet(count);
    }

    @Override
    public void statusWrite(boolean ok) {
      (ok ? statusOk : statusFailed).incrementAndGet();
    }

    @Override
    public void reconciled(long nanos) {
      assertThat(nanos).isNotNegative();
      reconciles.incrementAndGet();
    }

    @Override
    public void ledger(String node, int servicePorts, int podPorts) {
      if (servicePorts < 0) ledgers.remove(node);
      else ledgers.put(node, List.of(servicePorts, podPorts));
    }
  }

  final Recorded metrics = new Recorded();
  final FakeServiceLbApi api = new FakeServiceLbApi();
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("ServiceLbMetricsTest");
    ServiceLbDeps deps =
        new ServiceLbDeps(
            api,
            RENDER,
            cluster.sharding(),
            Duration.ofMillis(50),
            ServiceLbCache.NONE,
            ResyncRepairs.NONE,
            metrics);
    NodeParts parts =
        new NodeParts(
            NodePorts.factory(cluster.sharding(), new FakeServiceLbCache(), metrics),
            CloudNodeKeeper.factory(null, false),
            NodeNetpol.factory(cluster.sharding()),
            Duration.ofSeconds(1),
            NodeParts.Agents.UNCHECKED);
    cluster
        .sharding()
        .init(Entity.of(NodeActor.TYPE_KEY, c -> NodeActor.create(c.getEntityId(), parts)));
    cluster
        .sharding()
        .init(Entity.of(PoolActor.TYPE_KEY, c -> PoolActor.create(c.getEntityId(), deps)));
    cluster
        .sharding()
        .init(Entity.of(ServiceActor.TYPE_KEY, c -> ServiceActor.create(c.getEntityId(), deps)));
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private void tell(ServiceInfo svc, ServiceActor.Command m) {
    cluster.sharding().entityRefFor(ServiceActor.TYPE_KEY, svc.key()).tell(m);
  }

  @Test
  void twoServicesOnOnePortShowOneConflictOnePendingAndTheStatusWrite() {
    cluster
        .sharding()
        .entityRefFor(PoolActor.TYPE_KEY, PoolActor.DEFAULT)
        .tell(new PoolActor.NodesUpdated(List.of(N1)));
    ServiceInfo first = Fixtures.svc().name("first").build();
    ServiceInfo second = Fixtures.svc().name("second").build();

    tell(first, new ServiceActor.Changed(first));
    await()
        .atMost(WAIT)
        .until(() -> metrics.pending.get(first.key()) == PendingReason.SVCLB_NOT_READY);
    assertThat(metrics.ledgers).containsEntry("n1", List.of(1, 0));

    tell(second, new ServiceActor.Changed(second));
    await()
        .atMost(WAIT)
        .until(() -> metrics.pending.get(second.key()) == PendingReason.PORT_CONFLICT);
    assertThat(metrics.conflicts).hasValue(1);
    assertThat(metrics.ledgers).as("the port stays the first's").containsEntry("n1", List.of(1, 0));
    assertThat(metrics.statusOk).as("nothing to advertise yet").hasValue(0);

    tell(
        first, new ServiceActor.SvclbPod(Fixtures.svclbPod("n1", true, false, "10.42.0.1"), false));
    await().atMost(WAIT).until(() -> metrics.statusOk.get() == 1);
    await().atMost(WAIT).until(() -> !metrics.pending.containsKey(first.key()));
    assertThat(metrics.pending).containsOnly(Map.entry(second.key(), PendingReason.PORT_CONFLICT));

    // the second goes: it is no longer pending, and its conflict stays counted
    tell(second, new ServiceActor.Deleted(second));
    await().atMost(WAIT).until(() -> metrics.pending.isEmpty());
    assertThat(metrics.conflicts).hasValue(1);
    assertThat(metrics.statusFailed).hasValue(0);
    assertThat(metrics.reconciles).hasPositiveValue();
  }
}
