package io.netsvc.actors.servicelb.model;

/**
 * Why a LoadBalancer Service advertises no address yet, as a short label for metrics and alerts
 * ({@link LbPlan#pendingReason()} is the text with the nodes and ports).
 */
public enum PendingReason {
  /** The Service is invalid (e.g. a port without a number); it is never served as it is. */
  INVALID("invalid"),
  /** Its pool has not told it the nodes yet (right after a start). */
  NODE_LIST("node_list"),
  /** No node may run its svclb pod: taints, or allow-list mode without a labelled node. */
  NO_ELIGIBLE_NODE("no_eligible_node"),
  /** A node's port ledger has not answered its claim yet. */
  PORT_LEDGER("port_ledger"),
  /** The Service has no ClusterIP yet. */
  CLUSTER_IP("cluster_ip"),
  /** Every eligible node refused its ports: other Services or hostPort pods hold them. */
  PORT_CONFLICT("port_conflict"),
  /** externalTrafficPolicy Local and no Ready endpoint on a node with a Ready svclb pod. */
  NO_LOCAL_ENDPOINT("no_local_endpoint"),
  /** Its svclb pods are scheduled where the ports were granted, none is Ready yet. */
  SVCLB_NOT_READY("svclb_not_ready");

  private final String label;

  PendingReason(String label) {
    this.label = label;
  }

  /** The metric label value, e.g. {@code port_conflict}. */
  public String label() {
    return label;
  }
}
