package io.netsvc.actors.netpol;

import static io.netsvc.actors.netpol.model.NetpolFixtures.ingress;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.namespaces;
import static io.netsvc.actors.netpol.model.NetpolFixtures.pods;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NetworkPolicyActor in a one-member cluster: the test plays its NamespaceActors and NodeActors
 * with probes (stand-in entities), so it sees whom the policy subscribes to and what each node is
 * sent. Node names are distinct per test, so no test sees another's fragments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkPolicyActorTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  OneMemberCluster cluster;
  final RecordedEvents events = new RecordedEvents();

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("NetworkPolicyActorTest", true);
    cluster.standIn(NamespaceActor.TYPE_KEY);
    cluster.standIn(NodeActor.TYPE_KEY);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  static NetpolPod pod(String ns, String name, String node, String ip, String app) {
    return new NetpolPod(ns, name, node, Map.of("app", app), ip, null, List.of(), false, false);
  }

  private ActorRef<NetworkPolicyActor.Command> policyActor(NetworkPolicyInfo p) {
    ActorRef<NetworkPolicyActor.Command> ref =
        cluster
            .kit()
            .spawn(
                NetworkPolicyActor.create(
                    p.key(), new NetpolDeps(cluster.sharding(), events, nanos -> {})));
    ref.tell(new NetworkPolicyActor.PolicyChanged(p));
    return ref;
  }

  private TestProbe<NamespaceActor.Command> namespaceProbe(String ns) {
    return cluster.probe(NamespaceActor.TYPE_KEY, ns);
  }

  private TestProbe<NodeActor.Command> node(String name) {
    return cluster.probe(NodeActor.TYPE_KEY, name);
  }

  /** Plays the NamespaceActor: expects the policy's subscription and answers with a snapshot. */
  private static void serve(
      TestProbe<NamespaceActor.Command> ns,
      ActorRef<NetworkPolicyActor.Command> policy,
      String key,
      NamespaceInfo info,
      NetpolPod... pods) {
    assertThat(ns.expectMessageClass(NamespaceActor.Subscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Subscribe(key));
    policy.tell(new NetworkPolicyActor.NamespaceSnapshot(info.name(), info, List.of(pods)));
  }

  private static NodeActor.PolicyFragment fragment(TestProbe<NodeActor.Command> node) {
    return node.expectMessageClass(NodeActor.PolicyFragment.class, WAIT);
  }

  private NetworkPolicyActor.Status status(ActorRef<NetworkPolicyActor.Command> policy) {
    TestProbe<NetworkPolicyActor.Status> reply = cluster.kit().createTestProbe();
    policy.tell(new NetworkPolicyActor.GetStatus(reply.getRef()));
    return reply.receiveMessage(WAIT);
  }

  /**
   * Changes from a NamespaceActor on another member come without their view: the policy applies
   * each to the view it holds, and when one is missing (the versions skip) asks for the whole
   * namespace again instead of compiling from a view that lacks it.
   */
  @Test
  void aChangeThatSkipsAVersionMakesThePolicyAskForTheWholeNamespace() {
    NetworkPolicyInfo p = ingress("gap", "deny-web", labels("app", "web"));
    NamespaceInfo info = new NamespaceInfo("gap", Map.of());
    TestProbe<NamespaceActor.Command> ns = namespaceProbe("gap");
    TestProbe<NodeActor.Command> n1 = node("gap-n1");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(p);
    assertThat(ns.expectMessageClass(NamespaceActor.Subscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Subscribe(p.key()));
    NetpolPod web0 = pod("gap", "web-0", "gap-n1", "10.42.11.10", "web");
    policy.tell(
        new NetworkPolicyActor.NamespaceSnapshot(
            io.netsvc.actors.netpol.model.NamespaceView.of("gap", info, 10, List.of(web0))));
    assertThat(fragment(n1).policy().targets()).containsExactly("gap/web-0");

    NetpolPod web1 = pod("gap", "web-1", "gap-n1", "10.42.11.11", "web");
    policy.tell(new NetworkPolicyActor.PodChanged(web1, 11, null));
    assertThat(fragment(n1).policy().targets()).containsExactly("gap/web-0", "gap/web-1");
    ns.expectNoMessage(Duration.ofMillis(200));

    // version 12 never arrived
    NetpolPod web3 = pod("gap", "web-3", "gap-n1", "10.42.11.13", "web");
    policy.tell(new NetworkPolicyActor.PodChanged(web3, 13, null));
    assertThat(ns.expectMessageClass(NamespaceActor.Subscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Subscribe(p.key()));
  }

  @Test
  void eachNodeGetsItsOwnTargetsAndOnlyTheChangesThatConcernItThenARemoval() {
    NetworkPolicyInfo p =
        ingress(
            "shop", "web-from-db", labels("app", "web"), rule(List.of(pods(labels("app", "db")))));
    NamespaceInfo shop = new NamespaceInfo("shop", Map.of());
    TestProbe<NamespaceActor.Command> ns = namespaceProbe("shop");
    TestProbe<NodeActor.Command> n1 = node("shop-n1");
    TestProbe<NodeActor.Command> n2 = node("shop-n2");
    NetpolPod web1 = pod("shop", "web-1", "shop-n1", "10.42.1.10", "web");
    NetpolPod db = pod("shop", "db", "shop-n3", "10.42.3.10", "db");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(p);
    serve(ns, policy, p.key(), shop, web1, db);

    NodeActor.PolicyFragment first = fragment(n1);
    assertThat(first.policyKey()).isEqualTo("shop/web-from-db");
    long g = first.generation();
    assertThat(first.policy().targets()).containsExactly("shop/web-1");
    assertThat(first.policy().ingress().get(0).peerIps().ipv4()).containsExactly("10.42.3.10");

    // a selected pod on shop-n2: that node gets the policy with its own target; shop-n1's part
    // is as it was, so its agent hears nothing and keeps generation g
    NetpolPod web2 = pod("shop", "web-2", "shop-n2", "10.42.2.11", "web");
    policy.tell(new NetworkPolicyActor.PodChanged(web2));
    NodeActor.PolicyFragment second = fragment(n2);
    assertThat(second.generation()).isEqualTo(g + 1);
    assertThat(second.policy().targets()).containsExactly("shop/web-2");
    n1.expectNoMessage(Duration.ofMillis(300));

    // a second peer: the rules change for every node that hosts a target
    NetpolPod db2 = pod("shop", "db-2", "shop-n3", "10.42.3.11", "db");
    policy.tell(new NetworkPolicyActor.PodChanged(db2));
    for (TestProbe<NodeActor.Command> n : List.of(n1, n2)) {
      NodeActor.PolicyFragment f = fragment(n);
      assertThat(f.generation()).isEqualTo(g + 2);
      assertThat(f.policy().ingress().get(0).peerIps().ipv4())
          .containsExactly("10.42.3.10", "10.42.3.11");
    }

    // shop-n1 no longer hosts a selected pod: it is told to drop the policy; shop-n2 hears nothing
    policy.tell(new NetworkPolicyActor.PodGone("shop", "web-1"));
    assertThat(fragment(n1)).isEqualTo(new NodeActor.PolicyFragment(p.key(), g + 3, null));
    n2.expectNoMessage(Duration.ofMillis(300));

    // what a node applied comes back as "realised"; a report from a node without it is ignored;
    // shop-n2 holds g + 2, which is current for it though the policy is at g + 3
    policy.tell(new NetworkPolicyActor.Realised("shop-n2", g + 2));
    policy.tell(new NetworkPolicyActor.Realised("shop-n1", g + 2));
    NetworkPolicyActor.Status s = status(policy);
    assertThat(s.generation()).isEqualTo(g + 3);
    assertThat(s.sent()).isEqualTo(Map.of("shop-n2", g + 2));
    assertThat(s.realised()).isEqualTo(s.sent());
    assertThat(s.targets()).containsExactly("shop/web-2");
  }

  @Test
  void aChangeThatLeavesTheCompiledPolicyAsItWasSendsNothing() {
    NetworkPolicyInfo p = ingress("calm", "deny", labels("app", "api"));
    TestProbe<NamespaceActor.Command> ns = namespaceProbe("calm");
    TestProbe<NodeActor.Command> n1 = node("calm-n1");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(p);
    serve(
        ns,
        policy,
        p.key(),
        new NamespaceInfo("calm", Map.of()),
        pod("calm", "api", "calm-n1", "10.42.3.10", "api"));
    long g = fragment(n1).generation();

    // a pod the policy does not select, and a relabelled namespace: the same compiled policy
    policy.tell(
        new NetworkPolicyActor.PodChanged(pod("calm", "batch", "calm-n1", "10.42.3.11", "batch")));
    policy.tell(
        new NetworkPolicyActor.NamespaceChanged(
            "calm", new NamespaceInfo("calm", Map.of("x", "y"))));
    policy.tell(
        new NetworkPolicyActor.PodChanged(pod("calm", "api-2", "calm-n1", "10.42.3.12", "api")));
    NodeActor.PolicyFragment next = fragment(n1);
    assertThat(next.generation()).isEqualTo(g + 1);
    assertThat(next.policy().targets()).containsExactly("calm/api", "calm/api-2");
  }

  @Test
  void aNamespaceSelectorSubscribesToEveryNamespaceAndFollowsTheirLabels() {
    NetworkPolicyInfo own =
        ingress(
            "app",
            "from-ops",
            labels("app", "api"),
            rule(List.of(namespaces(labels("team", "ops")))));
    TestProbe<NamespaceActor.Command> appNs = namespaceProbe("app");
    TestProbe<NamespaceActor.Command> toolsNs = namespaceProbe("tools");
    TestProbe<NodeActor.Command> n1 = node("app-n1");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(own);
    policy.tell(new NetworkPolicyActor.Namespaces(Set.of("app", "tools")));
    serve(
        appNs,
        policy,
        own.key(),
        new NamespaceInfo("app", Map.of()),
        pod("app", "api", "app-n1", "10.42.4.10", "api"));
    serve(
        toolsNs,
        policy,
        own.key(),
        new NamespaceInfo("tools", Map.of()),
        pod("tools", "probe", "app-n2", "10.42.4.20", "probe"));
    NodeActor.PolicyFragment noPeers = fragment(n1);
    assertThat(noPeers.policy().ingress().get(0).peerIps().ipv4()).isEmpty();

    // tools becomes an ops namespace: its pods are now allowed in
    policy.tell(
        new NetworkPolicyActor.NamespaceChanged(
            "tools", new NamespaceInfo("tools", Map.of("team", "ops"))));
    NodeActor.PolicyFragment withPeers = fragment(n1);
    assertThat(withPeers.generation()).isEqualTo(noPeers.generation() + 1);
    assertThat(withPeers.policy().ingress().get(0).peerIps().ipv4()).containsExactly("10.42.4.20");

    // without the namespace selector only its own namespace matters: tools is let go
    policy.tell(
        new NetworkPolicyActor.PolicyChanged(ingress("app", "from-ops", labels("app", "api"))));
    assertThat(toolsNs.expectMessageClass(NamespaceActor.Unsubscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Unsubscribe(own.key()));
  }

  @Test
  void aPolicyWithoutNamespaceSelectorsReadsOnlyItsOwnNamespace() {
    NetworkPolicyInfo p =
        ingress("solo", "local", labels("app", "a"), rule(List.of(pods(labels("app", "b")))));
    TestProbe<NamespaceActor.Command> own = namespaceProbe("solo");
    TestProbe<NamespaceActor.Command> other = namespaceProbe("elsewhere");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(p);
    policy.tell(new NetworkPolicyActor.Namespaces(Set.of("solo", "elsewhere")));
    serve(own, policy, p.key(), new NamespaceInfo("solo", Map.of()));
    policy.tell(new NetworkPolicyActor.PolicyDeleted());
    assertThat(own.expectMessageClass(NamespaceActor.Unsubscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Unsubscribe(p.key()));
    other.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void deletionTellsEveryNodeToDropThePolicyAndUnsubscribes() {
    NetworkPolicyInfo p = ingress("gone", "deny", labels());
    TestProbe<NamespaceActor.Command> ns = namespaceProbe("gone");
    TestProbe<NodeActor.Command> n1 = node("gone-n1");
    TestProbe<NodeActor.Command> n2 = node("gone-n2");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(p);
    serve(
        ns,
        policy,
        p.key(),
        new NamespaceInfo("gone", Map.of()),
        pod("gone", "a", "gone-n1", "10.42.5.10", "a"),
        pod("gone", "b", "gone-n2", "10.42.5.11", "b"));
    long gen = fragment(n1).generation();
    assertThat(fragment(n2).generation()).isEqualTo(gen);

    policy.tell(new NetworkPolicyActor.PolicyDeleted());
    for (TestProbe<NodeActor.Command> n : List.of(n1, n2)) {
      NodeActor.PolicyFragment removal = fragment(n);
      assertThat(removal.policy()).isNull();
      assertThat(removal.generation()).isGreaterThan(gen);
    }
    assertThat(ns.expectMessageClass(NamespaceActor.Unsubscribe.class, WAIT))
        .isEqualTo(new NamespaceActor.Unsubscribe(p.key()));
    cluster.kit().createTestProbe().expectTerminated(policy, WAIT);
  }

  @Test
  void aProblemIsReportedOnceAsAWarningEventOnThePolicy() {
    NetworkPolicyInfo broken =
        new NetworkPolicyInfo(
            "warn",
            "odd",
            "uid-odd",
            Map.of(),
            labels(),
            List.of("Ingress", "Sideways"),
            List.of(),
            null);
    TestProbe<NamespaceActor.Command> ns = namespaceProbe("warn");
    TestProbe<NodeActor.Command> n1 = node("warn-n1");
    ActorRef<NetworkPolicyActor.Command> policy = policyActor(broken);
    serve(
        ns,
        policy,
        broken.key(),
        new NamespaceInfo("warn", Map.of()),
        pod("warn", "a", "warn-n1", "10.42.6.10", "a"));
    CompiledPolicy compiled = fragment(n1).policy();
    // the rest of the policy is still enforced
    assertThat(compiled.targets()).containsExactly("warn/a");

    RecordedEvents.Event e = events.next("warn", WAIT);
    assertThat(e.about().kind()).isEqualTo("NetworkPolicy");
    assertThat(e.about().name()).isEqualTo("odd");
    assertThat(e.about().uid()).isEqualTo("uid-odd");
    assertThat(e.type()).isEqualTo("Warning");
    assertThat(e.reason()).isEqualTo("PolicyNotEnforced");
    assertThat(e.message()).contains("Sideways");

    // recompiled with the same problem: no second event
    policy.tell(new NetworkPolicyActor.PodChanged(pod("warn", "b", "warn-n1", "10.42.6.11", "b")));
    assertThat(fragment(n1).policy().targets()).containsExactly("warn/a", "warn/b");
    status(policy); // the compile that sent the fragment has ended
    assertThat(events.about("warn")).hasSize(1);
  }
}
