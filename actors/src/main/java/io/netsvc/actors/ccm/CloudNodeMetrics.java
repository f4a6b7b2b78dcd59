package io.netsvc.actors.ccm;

/**
 * What the cloud-controller stub reports for the operators' metrics (recorded in Micrometer by the
 * cluster module). Called from the NodeActors' threads.
 */
public interface CloudNodeMetrics {
  /**
   * A node was initialised (its uninitialized taint removed), {@code nanos} after its keeper first
   * saw it tainted: how long new nodes wait before pods other than the tolerating ones schedule.
   */
  void nodeInitialized(long nanos);

  /** A write to a Node (annotations, or addresses/providerID/labels/taint) ended. */
  void nodeWrite(boolean ok);

  CloudNodeMetrics NONE =
      new CloudNodeMetrics() {
        @Override
        public void nodeInitialized(long nanos) {}

        @Override
        public void nodeWrite(boolean ok) {}
      };
}
