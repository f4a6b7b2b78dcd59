package io.netsvc.k8s;

/**
 * Whether this member may act on the API on behalf of its cluster: two netsvc clusters pointed at
 * one API (two {@code server} processes started without seeds) must never both act. Singletons join
 * the fence where they run; the first to join makes the member contend for the lease, the last to
 * leave releases it.
 */
public interface Fence {
  /** Told (on any thread) when the member gains or loses the right to act. */
  interface Listener {
    void held();

    /**
     * @param holder who holds it now, or why it is not known
     */
    void lost(String holder);
  }

  /** A joined listener; closing it leaves the fence. */
  interface Membership extends AutoCloseable {
    @Override
    void close();
  }

  /** Joins: {@code listener} hears {@code held} at once if the member holds the lease already. */
  Membership join(Listener listener);

  /** What this fence guards with, for logs ("kube-system/netsvc-controller"). */
  String describe();

  /** No fence: always held (a member without a Kubernetes client; tests). */
  Fence NONE =
      new Fence() {
        @Override
        public Membership join(Listener listener) {
          listener.held();
          return () -> {};
        }

        @Override
        public String describe() {
          return "no fence";
        }
      };
}
