package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A Service that changed only where a ServiceActor's own writes change it (resourceVersion, the
 * cleanup finalizer, {@code status.loadBalancer}) keeps its plan; a change of anything else makes a
 * new one. Every other component of {@link ServiceInfo} is varied in turn, so a component added
 * later is covered without touching this test.
 */
class PlanInputsTest {
  private static final RenderOptions OPTS =
      new RenderOptions("kube-system", SvclbNames.DEFAULT_IMAGE, SvclbNames.DEFAULT_PRIORITY_CLASS);
  private static final Set<String> NOT_READ = Set.of("resourceVersion", "finalizers", "ingress");

  /** Every list and map non-empty, so that emptying one is a change. */
  private static ServiceInfo base() {
    return Fixtures.svc()
        .sourceRanges("10.0.0.0/8")
        .label("app", "web")
        .annotation("note", "x")
        .finalizers("example.com/other")
        .ingress(IngressInfo.vip("10.0.0.1"))
        .build();
  }

  @Test
  void theActorsOwnWritesLeaveThePlan() {
    ServiceInfo before = base();
    ServiceInfo after =
        with(
            with(
                with(before, "resourceVersion", "2"),
                "finalizers",
                List.of("example.com/other", ServiceInfo.LB_CLEANUP_FINALIZER)),
            "ingress",
            List.of(IngressInfo.vip("10.0.0.1"), IngressInfo.vip("10.0.0.2")));

    assertThat(PlanInputs.samePlan(before, after)).isTrue();
    // and indeed: the plans made from either are the same, DaemonSet included
    LbPlan a = LbPlan.compute(inputs(before));
    LbPlan b = LbPlan.compute(inputs(after));
    assertThat(b.eligible()).isEqualTo(a.eligible());
    assertThat(b.granted()).isEqualTo(a.granted());
    assertThat(b.ingress()).isEqualTo(a.ingress()).isNotEmpty();
    assertThat(b.settled()).isEqualTo(a.settled());
    assertThat(b.pendingReason()).isEqualTo(a.pendingReason());
    assertThat(b.daemonSet()).isEqualTo(a.daemonSet()).isNotNull();
  }

  @Test
  void everyOtherChangeIsANewPlan() throws Exception {
    ServiceInfo base = base();
    List<String> varied = new ArrayList<>();
    for (RecordComponent c : ServiceInfo.class.getRecordComponents()) {
      ServiceInfo changed = with(base, c.getName(), other(c.getAccessor().invoke(base), c));
      assertThat(changed).as(c.getName()).isNotEqualTo(base);
      boolean same = PlanInputs.samePlan(base, changed);
      assertThat(same).as(c.getName()).isEqualTo(NOT_READ.contains(c.getName()));
      varied.add(c.getName());
    }
    assertThat(varied).containsAll(NOT_READ).hasSize(18);
  }

  @Test
  void withoutABeforeThereIsNoPlanToKeep() {
    assertThat(PlanInputs.samePlan(null, base())).isFalse();
    assertThat(PlanInputs.samePlan(base(), null)).isFalse();
    assertThat(PlanInputs.samePlan(base(), base())).isTrue();
  }

  private static LbPlan.Inputs inputs(ServiceInfo svc) {
    List<NodeInfo> nodes = List.of(Fixtures.node("n1", "InternalIP=10.0.0.1"));
    Map<String, Boolean> decisions = new TreeMap<>(Map.of("n1", true));
    List<PodInfo> pods = List.of(Fixtures.svclbPod("n1", true));
    return new LbPlan.Inputs(svc, OPTS, false, nodes, decisions, pods, Set.of(), List.of());
  }

  /** A value of the component's type that differs from {@code v}. */
  private static Object other(Object v, RecordComponent c) {
    Class<?> t = c.getType();
    if (t == String.class) return v == null ? "other" : v + "-other";
    if (t == boolean.class) return !(Boolean) v;
    if (t == Boolean.class) return v == null ? Boolean.TRUE : null;
    if (t == List.class) return ((List<?>) v).isEmpty() ? null : List.of();
    if (t == Map.class) return ((Map<?, ?>) v).isEmpty() ? null : Map.of();
    throw new AssertionError("no variation for " + c);
  }

  /** {@code s} with one component replaced, by name. */
  private static ServiceInfo with(ServiceInfo s, String component, Object value) {
    try {
      RecordComponent[] cs = ServiceInfo.class.getRecordComponents();
      Object[] args = new Object[cs.length];
      Class<?>[] types = new Class<?>[cs.length];
      for (int i = 0; i < cs.length; i++) {
        types[i] = cs[i].getType();
        args[i] = cs[i].getName().equals(component) ? value : cs[i].getAccessor().invoke(s);
      }
      return ServiceInfo.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
