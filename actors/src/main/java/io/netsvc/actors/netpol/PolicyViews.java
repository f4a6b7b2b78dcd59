package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.NamespaceView;
import io.netsvc.actors.netpol.model.PodImpact;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The namespaces one NetworkPolicyActor reads, as the {@link NamespaceView}s their NamespaceActors
 * handed out: in the same JVM the very objects every other policy holds, so a policy keeps
 * references, not pods. A change that crossed members arrives without its view and is applied to
 * the one held; a gap in the versions (a message lost, a NamespaceActor rebuilt) makes the policy
 * ask for the whole namespace again. Each change also says whether it can alter the compiled policy
 * ({@link PodImpact}), so a pod event elsewhere costs no compile.
 */
final class PolicyViews {
  /** Version of a change sent without one (tests that play the NamespaceActor). */
  static final long UNVERSIONED = -1;

  /** Whether to compile, and whether to ask the namespace for a snapshot. */
  record Outcome(boolean compile, boolean gap) {}

  private final Map<String, NamespaceView> views = new HashMap<>();

  ClusterView cluster() {
    return ClusterView.of(views.values());
  }

  boolean has(String ns) {
    return views.containsKey(ns);
  }

  void remove(String ns) {
    views.remove(ns);
  }

  /** A view read from the member's caches (replaced by the namespace's snapshot). */
  void prefill(NamespaceView v) {
    views.put(v.namespace(), v);
  }

  /** The whole namespace: compiles unless it holds what the policy compiled against already. */
  Outcome snapshot(NamespaceView v, NetworkPolicyInfo policy) {
    NamespaceView old = views.put(v.namespace(), v);
    return new Outcome(policy != null && !v.sameContent(old), false);
  }

  Outcome labels(
      String ns, NamespaceInfo info, long version, NamespaceView view, NetworkPolicyInfo p) {
    return apply(
        ns,
        version,
        view,
        v -> v.withInfo(info),
        (old, next) -> PodImpact.labelsMatter(p, old.labels(), next.labels()),
        p);
  }

  Outcome pod(NetpolPod pod, long version, NamespaceView view, NetworkPolicyInfo p) {
    return apply(
        pod.namespace(),
        version,
        view,
        v -> v.withPod(pod),
        (old, next) -> PodImpact.matters(p, next.labels(), old.pod(pod.name()), pod),
        p);
  }

  Outcome podGone(String ns, String name, long version, NamespaceView view, NetworkPolicyInfo p) {
    return apply(
        ns,
        version,
        view,
        v -> v.withoutPod(name),
        (old, next) -> PodImpact.matters(p, next.labels(), old.pod(name), null),
        p);
  }

  /**
   * Takes the change's view when it came with one (same JVM), else applies the change to the view
   * held. The change is judged on its own only when it follows the held view directly; after a gap
   * the policy compiles.
   */
  private Outcome apply(
      String ns,
      long version,
      NamespaceView attached,
      UnaryOperator<NamespaceView> change,
      BiPredicate<NamespaceView, NamespaceView> matters,
      NetworkPolicyInfo policy) {
    NamespaceView old = views.get(ns);
    NamespaceView next;
    boolean follows;
    boolean gap = false;
    if (attached != null) {
      next = attached;
      follows = old != null && old.version() + 1 == attached.version();
    } else if (version == UNVERSIONED) {
      next = change.apply(old != null ? old : NamespaceView.empty(ns, UNVERSIONED));
      follows = old != null;
    } else {
      follows = old != null && old.version() + 1 == version;
      gap = !follows;
      next = change.apply(old != null ? old : NamespaceView.empty(ns, version)).numbered(version);
    }
    views.put(ns, next);
    return new Outcome(policy != null && (!follows || matters.test(old, next)), gap);
  }
}
