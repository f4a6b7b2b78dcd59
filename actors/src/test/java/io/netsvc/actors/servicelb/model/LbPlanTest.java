package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.node;
import static io.netsvc.actors.servicelb.model.Fixtures.port;
import static io.netsvc.actors.servicelb.model.Fixtures.svc;
import static io.netsvc.actors.servicelb.model.Fixtures.svclbPod;
import static io.netsvc.actors.servicelb.model.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.PortSpec;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a Service should look like, from what its ServiceActor knows. */
class LbPlanTest {
  static final RenderOptions OPTS =
      new RenderOptions("kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  static final String ENABLE = SvclbNames.ENABLELB_LABEL;
  static final String POOL = SvclbNames.LBPOOL_LABEL;
  static final List<NodeInfo> NODES =
      List.of(
          node("n1", "10.0.0.1", Map.of()),
          node("n2", "10.0.0.2", Map.of()),
          node("n3", "10.0.0.3", Map.of()));

  /** Builder-style inputs; defaults: default mode, three nodes, nothing decided, no pods. */
  static final class In {
    ServiceInfo svc = svc().build();
    boolean allowList;
    List<NodeInfo> candidates = NODES;
    Map<String, Boolean> decisions = new TreeMap<>();
    List<PodInfo> pods = List.of();
    Set<String> endpoints;
    List<String> conflicts = List.of();

    In service(ServiceInfo s) {
      svc = s;
      return this;
    }

    In decide(String node, boolean granted) {
      decisions.put(node, granted);
      return this;
    }

    In grantAll() {
      candidates.forEach(n -> decisions.put(n.name(), true));
      return this;
    }

    In pods(PodInfo... p) {
      pods = List.of(p);
      return this;
    }

    LbPlan.Inputs inputs() {
      return new LbPlan.Inputs(
          svc, OPTS, allowList, candidates, decisions, pods, endpoints, conflicts);
    }

    LbPlan plan() {
      return LbPlan.compute(inputs());
    }
  }

  static In in() {
    return new In();
  }

  static List<String> ips(LbPlan p) {
    return p.ingress().stream().map(IngressInfo::ip).toList();
  }

  static List<String> affinity(DaemonSet ds) {
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    if (pod.getAffinity() == null) return null;
    NodeSelectorRequirement r =
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchFields()
            .get(0);
    return r.getValues();
  }

  @Test
  void beforeTheNodeListArrivesNothingIsDecided() {
    In in = in();
    in.candidates = null;
    LbPlan p = in.plan();
    assertThat(p.problems()).isEmpty();
    assertThat(p.eligible()).isEmpty();
    assertThat(p.daemonSet()).isNull();
    assertThat(p.ingress()).isEmpty();
    assertThat(p.pendingReason()).isEqualTo("waiting for the node list");
    assertThat(p.settled()).isFalse();
  }

  static Stream<Arguments> invalidServices() {
    return Stream.of(
        Arguments.of((UnaryOperator<Fixtures.Svc>) s -> s.ports(), "the Service has no ports"),
        Arguments.of(
            (UnaryOperator<Fixtures.Svc>) s -> s.ports(port("TCP", 80, 0), port("TCP", 80, 0)),
            "port 80/TCP is listed twice"),
        Arguments.of(
            (UnaryOperator<Fixtures.Svc>)
                s -> s.annotation(SvclbNames.TOLERATIONS_ANNOTATION, "[{\"operator\":\"Equal\"}]"),
            "validation failed for toleration 0: toleration with empty key must have operator"
                + " 'Exists'"),
        Arguments.of(
            (UnaryOperator<Fixtures.Svc>) s -> s.sourceRanges("10.0.0.0/8", "10.0.0.0"),
            "invalid load balancer source range \"10.0.0.0\": missing prefix length"));
  }

  @ParameterizedTest
  @MethodSource("invalidServices")
  void anInvalidServiceGetsItsProblemsAndNoDaemonSetEvenWhenEveryNodeGranted(
      UnaryOperator<Fixtures.Svc> breakIt, String problem) {
    In in = in().service(breakIt.apply(svc()).build()).grantAll();
    in.pods = List.of(svclbPod("n1", true));
    LbPlan p = in.plan();
    assertThat(p.problems()).containsExactly(problem);
    assertThat(p.daemonSet()).isNull();
    assertThat(p.ingress()).isEmpty();
    assertThat(p.eligible()).isEmpty();
    assertThat(p.pendingReason()).isEqualTo("invalid Service: " + problem);
    // terminal: nothing more will appear until the Service changes
    assertThat(p.settled()).isTrue();
    // invalid input is reported even before the node list is known
    in.candidates = null;
    assertThat(in.plan().problems()).containsExactly(problem);
  }

  @Test
  void undecidedNodesHoldBackTheDaemonSet() {
    LbPlan p = in().decide("n1", true).plan();
    assertThat(p.eligible()).containsExactly("n1", "n2", "n3");
    assertThat(p.granted()).containsExactly("n1");
    assertThat(p.undecided()).containsExactly("n2", "n3");
    assertThat(p.daemonSet()).isNull();
    assertThat(p.pendingReason()).isEqualTo("waiting for the port ledger of [n2, n3]");
    assertThat(p.settled()).isFalse();
  }

  @Test
  void allEligibleNodesGrantedGivesADaemonSetWithoutAffinity() {
    LbPlan p = in().grantAll().plan();
    assertThat(p.granted()).containsExactly("n1", "n2", "n3");
    assertThat(p.undecided()).isEmpty();
    assertThat(p.daemonSet()).isNotNull();
    assertThat(p.daemonSet().getMetadata().getName()).isEqualTo("svclb-web-35a5ccb3");
    assertThat(affinity(p.daemonSet())).isNull();
    assertThat(p.pendingReason())
        .isEqualTo("waiting for svclb pods to become Ready on [n1, n2, n3]");
  }

  @Test
  void partialGrantsPinTheDaemonSetToTheGrantedNodes() {
    LbPlan p = in().decide("n1", true).decide("n2", false).decide("n3", true).plan();
    assertThat(p.granted()).containsExactly("n1", "n3");
    assertThat(p.daemonSet()).isNotNull();
    assertThat(affinity(p.daemonSet())).containsExactly("n1", "n3");
  }

  @Test
  void noNodeGrantedMeansNoDaemonSetAndTheConflictsAreTheReason() {
    In in = in().decide("n1", false).decide("n2", false).decide("n3", false);
    in.conflicts = List.of("80/TCP on n1 held by Service default/old", "80/TCP on n2 held by pod");
    LbPlan p = in.plan();
    assertThat(p.daemonSet()).isNull();
    assertThat(p.granted()).isEmpty();
    assertThat(p.pendingReason())
        .isEqualTo(
            "no node has the ports free: 80/TCP on n1 held by Service default/old; "
                + "80/TCP on n2 held by pod");
    assertThat(p.settled()).isTrue();
  }

  @Test
  void decisionsOfNodesThatAreNotEligibleAreIgnored() {
    LbPlan p = in().grantAll().decide("gone", false).plan();
    assertThat(p.granted()).containsExactly("n1", "n2", "n3");
    assertThat(affinity(p.daemonSet())).isNull();
  }

  @Test
  void allowListModeWithoutAnEligibleNodeSaysWhatIsMissing() {
    In in = in();
    in.allowList = true;
    in.candidates =
        List.of(
            node("off", "10.0.0.1", Map.of(ENABLE, "false")), node("plain", "10.0.0.2", Map.of()));
    LbPlan p = in.plan();
    assertThat(p.eligible()).isEmpty();
    assertThat(p.daemonSet()).isNull();
    assertThat(p.pendingReason())
        .isEqualTo(
            "no eligible node: allow-list mode needs svccontroller.k3s.cattle.io/enablelb=true"
                + " on a node that the svclb pod tolerates");
    in.svc = svc().label(POOL, "blue").build();
    in.candidates =
        List.of(
            node("red", "10.0.0.1", Map.of(ENABLE, "true", POOL, "red")),
            node("tainted", "10.0.0.2", Map.of(ENABLE, "true", POOL, "blue"), dedicated()));
    assertThat(in.plan().pendingReason())
        .isEqualTo(
            "no eligible node: allow-list mode needs svccontroller.k3s.cattle.io/enablelb=true"
                + " and svccontroller.k3s.cattle.io/lbpool=blue on a node that the svclb pod"
                + " tolerates");
  }

  @Test
  void defaultModeWithEveryNodeTaintedSaysSo() {
    In in = in();
    in.candidates = List.of(node("n1", "10.0.0.1", Map.of(), dedicated()));
    LbPlan p = in.plan();
    assertThat(p.eligible()).isEmpty();
    assertThat(p.daemonSet()).isNull();
    assertThat(p.pendingReason()).isEqualTo("no node tolerates the svclb pod");
  }

  @Test
  void allowListModeDaemonSetSelectsEnabledNodesOfThePool() {
    In in = in().service(svc().label(POOL, "blue").build());
    in.allowList = true;
    in.candidates =
        List.of(
            node("b1", "10.0.0.1", Map.of(ENABLE, "true", POOL, "blue")),
            node("b2", "10.0.0.2", Map.of(ENABLE, "true", POOL, "blue")));
    LbPlan p = in.grantAll().plan();
    assertThat(p.eligible()).containsExactly("b1", "b2");
    assertThat(p.daemonSet().getMetadata().getLabels())
        .containsEntry(SvclbNames.NODESELECTOR_LABEL, "true");
    assertThat(p.daemonSet().getSpec().getTemplate().getSpec().getNodeSelector())
        .isEqualTo(Map.of(ENABLE, "true", POOL, "blue"));
    assertThat(affinity(p.daemonSet())).isNull();
  }

  static TaintInfo dedicated() {
    return taint("dedicated", "lb", "NoSchedule");
  }

  @Test
  void aTaintedNodeIsNotWaitedForUnlessTheAnnotationToleratesIt() {
    In in = in().decide("n1", true).decide("n2", true);
    in.candidates =
        List.of(NODES.get(0), NODES.get(1), node("n3", "10.0.0.3", Map.of(), dedicated()));
    LbPlan p = in.plan();
    assertThat(p.eligible()).containsExactly("n1", "n2");
    assertThat(p.undecided()).isEmpty();
    // the DaemonSet controller keeps the pod off n3 by itself: no affinity needed
    assertThat(affinity(p.daemonSet())).isNull();

    in.svc =
        svc()
            .annotation(
                SvclbNames.TOLERATIONS_ANNOTATION,
                "- key: dedicated\n  operator: Equal\n  value: lb\n  effect: NoSchedule\n")
            .build();
    LbPlan tolerated = in.plan();
    assertThat(tolerated.eligible()).containsExactly("n1", "n2", "n3");
    assertThat(tolerated.undecided()).containsExactly("n3");
    assertThat(tolerated.daemonSet()).isNull();
    in.decide("n3", false);
    assertThat(affinity(in.plan().daemonSet())).containsExactly("n1", "n2");
  }

  @Test
  void ingressComesOnlyFromReadySvclbPodsOnGrantedNodes() {
    In in = in().decide("n1", true).decide("n2", false).decide("n3", true);
    in.candidates =
        List.of(
            NODES.get(0),
            NODES.get(1),
            NODES.get(2),
            node("n4", "10.0.0.4", Map.of(), dedicated()));
    in.pods(
        svclbPod("n1", true), // granted, Ready: advertised
        svclbPod("n2", true), // refused here (e.g. an old pod still running): not advertised
        svclbPod("n3", false), // granted, not Ready yet
        svclbPod("n4", true), // not eligible
        svclbPod("elsewhere", true)); // not a known node
    LbPlan p = in.plan();
    assertThat(ips(p)).containsExactly("10.0.0.1");
    assertThat(p.ingress()).allSatisfy(i -> assertThat(i.ipMode()).isEqualTo("VIP"));
    assertThat(p.pendingReason()).isNull();
    assertThat(p.settled()).isFalse();

    in.pods(svclbPod("n1", true), svclbPod("n3", true));
    LbPlan ready = in.plan();
    assertThat(ips(ready)).containsExactly("10.0.0.1", "10.0.0.3");
    assertThat(ready.settled()).isTrue();
  }

  @Test
  void deletingPodsAndPodsWithoutAnIpDoNotCount() {
    In in = in().grantAll();
    in.pods(
        svclbPod("n1", true, true, "10.42.0.1"),
        svclbPod("n2", true, false, null),
        svclbPod("n3", true, false, "10.42.0.3"));
    LbPlan p = in.plan();
    assertThat(ips(p)).containsExactly("10.0.0.3");
    assertThat(p.settled()).isFalse();
  }

  @Test
  void readyPodsAreAdvertisedWhileANodeIsStillUndecided() {
    // e.g. a new node joined: the running pods keep serving while its ledger answers
    In in = in().decide("n1", true).decide("n2", true);
    in.pods(svclbPod("n1", true), svclbPod("n2", true));
    LbPlan p = in.plan();
    assertThat(p.daemonSet()).isNull();
    assertThat(ips(p)).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(p.settled()).isFalse();
  }

  @Test
  void externalTrafficPolicyLocalAdvertisesOnlyEndpointNodes() {
    In in = in().service(svc().etp("Local").ports(port("TCP", 443, 31443)).build()).grantAll();
    in.pods(svclbPod("n1", true), svclbPod("n2", true), svclbPod("n3", true));
    in.endpoints = Set.of();
    LbPlan none = in.plan();
    assertThat(none.ingress()).isEmpty();
    assertThat(none.pendingReason())
        .isEqualTo(
            "externalTrafficPolicy Local: no Ready endpoint on a node with a Ready svclb pod");
    // the DaemonSet still runs everywhere granted (K3s does not restrict placement)
    assertThat(none.daemonSet()).isNotNull();
    assertThat(affinity(none.daemonSet())).isNull();
    in.endpoints = Set.of("n2", "n9");
    assertThat(ips(in.plan())).containsExactly("10.0.0.2");
  }

  @Test
  void noClusterIpYetIsTheReasonOnceTheLedgersAnswered() {
    LbPlan p = in().service(svc().clusterIPs().build()).grantAll().plan();
    assertThat(p.pendingReason()).isEqualTo("waiting for the Service's ClusterIP");
  }

  @Test
  void theDaemonSetCarriesThePortsOfTheService() {
    PortSpec dns = port("UDP", 53, 30053);
    LbPlan p = in().service(svc().ports(port("TCP", 80, 30080), dns).build()).grantAll().plan();
    assertThat(p.daemonSet().getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName())
        .containsExactly("lb-tcp-80", "lb-udp-53");
  }
}
