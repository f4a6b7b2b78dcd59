package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.PendingReason;

/**
 * What ServiceLB's actors report for the operators' metrics (the cluster module records them in
 * Micrometer; tests record them in memory). Called from the actors' threads, for their own Service
 * or node only, so an implementation sees one caller per key at a time.
 */
public interface ServiceLbMetrics {
  /** The Service advertises nothing yet, for {@code reason}; null: it does, or it is gone here. */
  void pending(String serviceKey, PendingReason reason);

  /** The Service's actor found {@code count} port conflicts it did not know of (node × port). */
  void conflicts(String serviceKey, int count);

  /** A {@code status.loadBalancer} patch ended: {@code ok}, or it failed and will be retried. */
  void statusWrite(boolean ok);

  /** One reconcile of a Service (plan, then start the writes that differ) took this long. */
  void reconciled(long nanos);

  /**
   * The host ports a node's ledger now holds, granted to Services and held by hostPort pods; both
   * -1 when the ledger stopped on this member (it moved, or the node is gone).
   */
  void ledger(String node, int servicePorts, int podPorts);

  ServiceLbMetrics NONE =
      new ServiceLbMetrics() {
        @Override
        public void pending(String serviceKey, PendingReason reason) {}

        @Override
        public void conflicts(String serviceKey, int count) {}

        @Override
        public void statusWrite(boolean ok) {}

        @Override
        public void reconciled(long nanos) {}

        @Override
        public void ledger(String node, int servicePorts, int podPorts) {}
      };
}
