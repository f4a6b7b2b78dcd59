package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EligibilityTest {
  static final String ENABLE = SvclbNames.ENABLELB_LABEL;
  static final String POOL = SvclbNames.LBPOOL_LABEL;

  static List<Toleration> none() {
    return Tolerations.defaults();
  }

  @Test
  void defaultModeTakesEveryNodeAndIgnoresThePool() {
    List<NodeInfo> nodes = List.of(node("b", Map.of()), node("a", Map.of(POOL, "blue")));
    assertThat(Eligibility.allowListMode(nodes)).isFalse();
    assertThat(Eligibility.eligibleNodes(nodes, "", none())).containsExactly("a", "b");
    assertThat(Eligibility.eligibleNodes(nodes, "red", none())).containsExactly("a", "b");
  }

  @Test
  void anyEnablelbLabelSwitchesToAllowListEvenFalse() {
    List<NodeInfo> nodes = List.of(node("a", Map.of()), node("b", Map.of(ENABLE, "false")));
    assertThat(Eligibility.allowListMode(nodes)).isTrue();
    assertThat(Eligibility.eligibleNodes(nodes, "", none())).isEmpty();
  }

  @Test
  void allowListModeWithPools() {
    List<NodeInfo> nodes =
        List.of(
            node("plain", Map.of()),
            node("on", Map.of(ENABLE, "true")),
            node("off", Map.of(ENABLE, "false", POOL, "blue")),
            node("blue", Map.of(ENABLE, "true", POOL, "blue")),
            node("red", Map.of(ENABLE, "true", POOL, "red")),
            node("True", Map.of(ENABLE, "True")));
    assertThat(Eligibility.eligibleNodes(nodes, "", none())).containsExactly("blue", "on", "red");
    assertThat(Eligibility.eligibleNodes(nodes, null, none())).containsExactly("blue", "on", "red");
    assertThat(Eligibility.eligibleNodes(nodes, "blue", none())).containsExactly("blue");
    assertThat(Eligibility.eligibleNodes(nodes, "green", none())).isEmpty();
  }

  static Toleration tol(String key, String op, String value, String effect) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator(op)
        .withValue(value)
        .withEffect(effect)
        .build();
  }

  static Stream<Arguments> taints() {
    return Stream.of(
        // taint, extra pod tolerations, eligible?
        Arguments.of(
            new TaintInfo("node-role.kubernetes.io/control-plane", null, "NoSchedule"),
            List.of(),
            true),
        Arguments.of(new TaintInfo("CriticalAddonsOnly", "true", "NoExecute"), List.of(), true),
        Arguments.of(new TaintInfo("dedicated", "gpu", "NoSchedule"), List.of(), false),
        Arguments.of(new TaintInfo("dedicated", "gpu", "NoExecute"), List.of(), false),
        Arguments.of(new TaintInfo("dedicated", "gpu", "PreferNoSchedule"), List.of(), true),
        Arguments.of(
            new TaintInfo("node.kubernetes.io/not-ready", null, "NoExecute"), List.of(), true),
        Arguments.of(
            new TaintInfo("node.kubernetes.io/unreachable", null, "NoExecute"), List.of(), true),
        Arguments.of(
            new TaintInfo("node.kubernetes.io/unschedulable", null, "NoSchedule"), List.of(), true),
        Arguments.of(
            new TaintInfo("node.kubernetes.io/disk-pressure", null, "NoSchedule"), List.of(), true),
        // DaemonSet tolerations are effect-specific: not-ready NoSchedule is not covered
        Arguments.of(
            new TaintInfo("node.kubernetes.io/not-ready", null, "NoSchedule"), List.of(), false),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoSchedule"),
            List.of(tol("dedicated", "Equal", "gpu", "NoSchedule")),
            true),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoSchedule"),
            List.of(tol("dedicated", "Equal", "cpu", "NoSchedule")),
            false),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoSchedule"),
            List.of(tol("dedicated", "", "gpu", null)),
            true),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoSchedule"),
            List.of(tol("dedicated", "Exists", null, "")),
            true),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoExecute"),
            List.of(tol("dedicated", "Exists", null, "NoSchedule")),
            false),
        Arguments.of(
            new TaintInfo("dedicated", null, "NoSchedule"),
            List.of(tol("dedicated", "Equal", "", null)),
            true),
        Arguments.of(
            new TaintInfo("anything", "x", "NoExecute"),
            List.of(tol("", "Exists", null, null)),
            true),
        Arguments.of(
            new TaintInfo("anything", "x", "NoExecute"),
            List.of(tol("", "Exists", null, "NoSchedule")),
            false),
        Arguments.of(
            new TaintInfo("dedicated", "gpu", "NoSchedule"),
            List.of(tol("dedicated", "Gt", "gpu", null)),
            false));
  }

  @ParameterizedTest
  @MethodSource("taints")
  void aTaintThePodDoesNotTolerateMakesTheNodeIneligible(
      TaintInfo taint, List<Toleration> extra, boolean eligible) {
    List<Toleration> pod = new java.util.ArrayList<>(Tolerations.defaults());
    pod.addAll(extra);
    List<NodeInfo> nodes = List.of(node("tainted", Map.of(), taint), node("clean", Map.of()));
    assertThat(Eligibility.eligibleNodes(nodes, "", pod).contains("tainted")).isEqualTo(eligible);
    assertThat(Eligibility.eligibleNodes(nodes, "", pod)).contains("clean");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // annotation | taint key=value:effect | eligible
        "                                                                | dedicated=lb:NoSchedule | false",
        "[{\"key\":\"dedicated\",\"value\":\"lb\",\"effect\":\"NoSchedule\"}] | dedicated=lb:NoSchedule | true",
        "[{\"key\":\"dedicated\",\"value\":\"lb\"}]                       | dedicated=lb:NoExecute  | true",
        "[{\"key\":\"dedicated\",\"value\":\"db\"}]                       | dedicated=lb:NoSchedule | false",
        "[{\"key\":\"dedicated\",\"operator\":\"Exists\"}]                | dedicated=lb:NoExecute  | true",
        "- {key: dedicated, operator: Exists, effect: NoSchedule}        | dedicated=lb:NoExecute  | false",
        "- {key: dedicated, operator: Exists, effect: NoSchedule}        | dedicated=lb:NoSchedule | true",
        "[{\"operator\":\"Exists\"}]                                        | anything=x:NoExecute    | true",
        "[{\"key\":\"gpu\",\"operator\":\"Exists\"}]                      | dedicated=lb:NoSchedule | false",
        "                                                                | dedicated=lb:PreferNoSchedule | true",
      })
  void theTolerationsAnnotationDecidesWhichTaintedNodesAreEligible(
      String annotation, String taint, boolean eligible) {
    Fixtures.Svc s = Fixtures.svc();
    if (annotation != null) s.annotation(SvclbNames.TOLERATIONS_ANNOTATION, annotation);
    String[] kv = taint.split("[=:]");
    List<NodeInfo> nodes =
        List.of(
            node("tainted", Map.of(), new TaintInfo(kv[0], kv[1], kv[2])), node("clean", Map.of()));
    assertThat(Eligibility.eligibleNodes(nodes, "", Tolerations.forService(s.build())))
        .isEqualTo(eligible ? Set.of("clean", "tainted") : Set.of("clean"));
  }

  @Test
  void taintsApplyInAllowListModeToo() {
    List<NodeInfo> nodes =
        List.of(
            node("a", Map.of(ENABLE, "true"), new TaintInfo("dedicated", "db", "NoSchedule")),
            node("b", Map.of(ENABLE, "true")));
    assertThat(Eligibility.eligibleNodes(nodes, "", none())).containsExactly("b");
  }

  @Test
  void daemonSetControllerTolerations() {
    assertThat(Eligibility.daemonSetControllerTolerations())
        .extracting(t -> t.getKey() + " " + t.getOperator() + " " + t.getEffect())
        .containsExactly(
            "node.kubernetes.io/not-ready Exists NoExecute",
            "node.kubernetes.io/unreachable Exists NoExecute",
            "node.kubernetes.io/disk-pressure Exists NoSchedule",
            "node.kubernetes.io/memory-pressure Exists NoSchedule",
            "node.kubernetes.io/pid-pressure Exists NoSchedule",
            "node.kubernetes.io/unschedulable Exists NoSchedule");
  }
}
