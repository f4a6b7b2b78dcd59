package io.netsvc.actors.servicelb;

import static io.netsvc.actors.servicelb.model.SvclbNames.ENABLELB_LABEL;
import static io.netsvc.actors.servicelb.model.SvclbNames.LBPOOL_LABEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PoolActor in a one-member cluster; its subscribers are ServiceActor stand-ins. A subscriber must
 * hear the pool's nodes at once and after every change, and nothing when nothing changed: the test
 * checks that by making a real change afterwards and expecting it to be the very next message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolActorTest {
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("PoolActorTest", true);
    cluster.standIn(ServiceActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  static NodeInfo node(String name, Map<String, String> labels, TaintInfo... taints) {
    return new NodeInfo(name, labels, Map.of(), List.of(), List.of(taints), null);
  }

  static Map<String, String> pooled(String pool) {
    return Map.of(ENABLELB_LABEL, "true", LBPOOL_LABEL, pool);
  }

  private ActorRef<PoolActor.Command> pool(String name) {
    return cluster.kit().spawn(PoolActor.create(name, cluster.sharding()));
  }

  private TestProbe<ServiceActor.Command> service(String key) {
    return cluster.probe(ServiceActor.TYPE_KEY, key);
  }

  private static ServiceActor.PoolChanged changed(TestProbe<ServiceActor.Command> service) {
    return service.expectMessageClass(ServiceActor.PoolChanged.class, Duration.ofSeconds(10));
  }

  private static List<String> names(ServiceActor.PoolChanged m) {
    return m.nodes().stream().map(NodeInfo::name).toList();
  }

  @Test
  void aSubscriberGetsTheMembersAtOnceAndAgainWhenALabelMovesANodeIn() {
    ActorRef<PoolActor.Command> gpu = pool("gpu");
    TestProbe<ServiceActor.Command> web = service("default/gpu-web");
    NodeInfo n1 = node("n1", pooled("gpu"));
    NodeInfo n2 = node("n2", pooled("cpu"));
    NodeInfo n3 = node("n3", Map.of());
    gpu.tell(new PoolActor.NodesUpdated(List.of(n3, n2, n1)));

    gpu.tell(new PoolActor.Subscribe("default/gpu-web"));
    ServiceActor.PoolChanged first = changed(web);
    assertThat(first.pool()).isEqualTo("gpu");
    assertThat(first.allowListMode()).isTrue();
    assertThat(first.nodes()).containsExactly(n1);

    // the same members (a non-member got a label of no interest): nothing to tell
    NodeInfo n3b = node("n3", Map.of("team", "blue"));
    gpu.tell(new PoolActor.NodesUpdated(List.of(n1, n2, n3b)));
    NodeInfo n2b = node("n2", pooled("gpu"));
    gpu.tell(new PoolActor.NodesUpdated(List.of(n2b, n3b, n1)));
    ServiceActor.PoolChanged second = changed(web);
    assertThat(names(second)).containsExactly("n1", "n2");
    assertThat(second.nodes()).containsExactly(n1, n2b);

    gpu.tell(new PoolActor.NodesUpdated(List.of(n2, n3b, n1)));
    assertThat(names(changed(web))).containsExactly("n1");
  }

  @Test
  void aSubscriberBeforeTheFirstNodeListHearsOnlyOnceTheNodesAreKnown() {
    ActorRef<PoolActor.Command> edge = pool("edge");
    TestProbe<ServiceActor.Command> dns = service("default/edge-dns");
    edge.tell(new PoolActor.Subscribe("default/edge-dns"));
    TestProbe<PoolActor.PoolView> view = cluster.kit().createTestProbe();
    edge.tell(new PoolActor.GetPool(view.getRef()));
    assertThat(view.receiveMessage().services()).containsExactly("default/edge-dns");
    // had the subscription been answered without members, that would be the next message

    edge.tell(new PoolActor.NodesUpdated(List.of(node("e1", pooled("edge")))));
    assertThat(names(changed(dns))).containsExactly("e1");
  }

  @Test
  void theDefaultPoolHoldsEveryNodeTaintedOrNotUntilANodeOptsIn() {
    ActorRef<PoolActor.Command> all = pool(PoolActor.DEFAULT);
    TestProbe<ServiceActor.Command> svc = service("default/plain");
    TaintInfo noSchedule = new TaintInfo("dedicated", "db", "NoSchedule");
    NodeInfo a = node("a", Map.of());
    NodeInfo b = node("b", Map.of(), noSchedule);
    all.tell(new PoolActor.NodesUpdated(List.of(b, a)));
    all.tell(new PoolActor.Subscribe("default/plain"));
    ServiceActor.PoolChanged m = changed(svc);
    assertThat(m.pool()).isEqualTo(PoolActor.DEFAULT);
    assertThat(m.allowListMode()).isFalse();
    // taints are judged per Service (its tolerations), so the pool keeps the tainted node
    assertThat(names(m)).containsExactly("a", "b");

    NodeInfo bOptsIn = node("b", Map.of(ENABLELB_LABEL, "true"), noSchedule);
    all.tell(new PoolActor.NodesUpdated(List.of(a, bOptsIn)));
    ServiceActor.PoolChanged allowList = changed(svc);
    assertThat(allowList.allowListMode()).isTrue();
    assertThat(names(allowList)).containsExactly("b");
  }

  @Test
  void anUnsubscribedServiceHearsNothingMoreWhileOthersStillDo() {
    ActorRef<PoolActor.Command> db = pool("db");
    TestProbe<ServiceActor.Command> left = service("default/db-old");
    TestProbe<ServiceActor.Command> stays = service("default/db-new");
    NodeInfo d1 = node("d1", pooled("db"));
    db.tell(new PoolActor.NodesUpdated(List.of(d1)));
    db.tell(new PoolActor.Subscribe("default/db-old"));
    db.tell(new PoolActor.Subscribe("default/db-new"));
    assertThat(names(changed(left))).containsExactly("d1");
    assertThat(names(changed(stays))).containsExactly("d1");

    db.tell(new PoolActor.Unsubscribe("default/db-old"));
    NodeInfo d2 = node("d2", pooled("db"));
    db.tell(new PoolActor.NodesUpdated(List.of(d1, d2)));
    db.tell(new PoolActor.NodesUpdated(List.of(d2)));
    assertThat(names(changed(stays))).containsExactly("d1", "d2");
    assertThat(names(changed(stays))).containsExactly("d2");

    TestProbe<PoolActor.PoolView> view = cluster.kit().createTestProbe();
    db.tell(new PoolActor.GetPool(view.getRef()));
    assertThat(view.receiveMessage())
        .isEqualTo(new PoolActor.PoolView("db", true, List.of("d2"), List.of("default/db-new")));
    // subscribing again answers with the pool as it is now; a change that leaked in between
    // would arrive first
    db.tell(new PoolActor.Subscribe("default/db-old"));
    assertThat(names(changed(left))).containsExactly("d2");
  }

  @Test
  void aRebuiltPoolKnowsItsNodesAndServicesFromTheCachesAndTellsThemAtOnce() {
    NodeInfo r1 = node("r1", pooled("rebuilt"));
    NodeInfo other = node("o1", pooled("other"));
    ServiceInfo mine = Fixtures.svc().name("rebuilt-web").label(LBPOOL_LABEL, "rebuilt").build();
    ServiceInfo notMine = Fixtures.svc().name("other-web").label(LBPOOL_LABEL, "other").build();
    FakeServiceLbCache cache = new FakeServiceLbCache().put(r1).put(other).put(mine).put(notMine);
    List<String> repairs = new CopyOnWriteArrayList<>();
    TestProbe<ServiceActor.Command> web = service(mine.key());
    ServiceLbDeps deps =
        new ServiceLbDeps(
            null, null, cluster.sharding(), Duration.ofSeconds(1), cache, repairs::add);
    ActorRef<PoolActor.Command> pool = cluster.kit().spawn(PoolActor.create("rebuilt", deps));

    // no NodesUpdated and no Subscribe: the Service hears the members all the same
    ServiceActor.PoolChanged m = changed(web);
    assertThat(m.pool()).isEqualTo("rebuilt");
    assertThat(m.nodes()).containsExactly(r1);
    TestProbe<PoolActor.PoolView> view = cluster.kit().createTestProbe();
    pool.tell(new PoolActor.GetPool(view.getRef()));
    assertThat(view.receiveMessage())
        .isEqualTo(new PoolActor.PoolView("rebuilt", true, List.of("r1"), List.of(mine.key())));

    // the Service's periodic reminder changes nothing: it was known
    pool.tell(new PoolActor.Resubscribe(mine.key()));
    // one the pool did not know is subscribed, answered and counted as a repair
    TestProbe<ServiceActor.Command> lost = service("default/lost");
    pool.tell(new PoolActor.Resubscribe("default/lost"));
    assertThat(names(changed(lost))).containsExactly("r1");
    assertThat(repairs).containsExactly("pool");
    web.expectNoMessage(Duration.ofMillis(200));
  }
}
