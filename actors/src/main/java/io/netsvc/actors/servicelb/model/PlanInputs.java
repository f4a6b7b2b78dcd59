package io.netsvc.actors.servicelb.model;

import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;

/**
 * Which changes of a Service can change its {@link LbPlan}. No plan (nor the DaemonSet it renders)
 * reads the Service's resourceVersion, finalizers or {@code status.loadBalancer}: those change with
 * every write of the ServiceActor's own (the finalizer, each status patch) and with every resync,
 * and a new plan for them is the old one again. Pure.
 */
public final class PlanInputs {
  private PlanInputs() {}

  /**
   * True when a plan made from {@code now} would be the one made from {@code before}: they differ
   * at most in the fields no plan reads. False when either is null.
   */
  public static boolean samePlan(ServiceInfo before, ServiceInfo now) {
    if (before == null || now == null) return false;
    return before == now || planned(before).equals(planned(now));
  }

  /**
   * {@code s} without the fields no plan reads. Everything else is kept, so a field added to {@link
   * ServiceInfo} later counts as read until it is listed here.
   */
  static ServiceInfo planned(ServiceInfo s) {
    return new ServiceInfo(
        s.namespace(),
        s.name(),
        s.uid(),
        null, // resourceVersion
        s.creationTimestamp(),
        s.type(),
        s.loadBalancerClass(),
        s.ports(),
        s.clusterIPs(),
        s.ipFamilies(),
        s.externalTrafficPolicy(),
        s.loadBalancerSourceRanges(),
        s.allocateLoadBalancerNodePorts(),
        s.labels(),
        s.annotations(),
        List.of(), // finalizers
        s.deleting(),
        List.of()); // status.loadBalancer.ingress
  }
}
