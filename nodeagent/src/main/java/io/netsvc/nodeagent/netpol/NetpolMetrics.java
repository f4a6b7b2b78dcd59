package io.netsvc.nodeagent.netpol;

/** What the node agents count, for {@code /metrics} (Micrometer in the cluster module). */
public interface NetpolMetrics {
  /** One ruleset apply on {@code node}: its duration, the bytes handed to the tools, the counts. */
  void applied(String node, long millis, int bytes, int chains, int rules, int sets);

  /** An apply that failed. */
  void failed(String node);

  /** The agent found its rules edited or flushed and restored them. */
  void driftRepaired(String node);

  /** The stages of one apply: deciding what to write (pure code), and the kernel tools. */
  default void stages(String node, long planMillis, long kernelMillis) {}

  /**
   * A fragment reached the agent of {@code node} {@code micros} after its NetworkPolicyActor sent
   * it (through the NodeActor and its outbox; wall clocks, so across machines their offset too).
   */
  default void sent(String node, long micros) {}

  /**
   * The ruleset the agent patched change by change differed from a fresh render of the same inputs
   * (a bug: it was logged and the fresh one applied).
   */
  default void consistencyRepaired(String node) {}

  NetpolMetrics NONE =
      new NetpolMetrics() {
        @Override
        public void applied(String node, long millis, int bytes, int chains, int rules, int sets) {}

        @Override
        public void failed(String node) {}

        @Override
        public void driftRepaired(String node) {}
      };
}
