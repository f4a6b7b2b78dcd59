package io.netsvc.actors.node;

import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.config.AgentCheck;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The features' parts of a NodeActor. Each feature keeps its share of a node's state in its own
 * package (ServiceLB the host-port ledger, the cloud-controller stub the Node's addresses and
 * taint, NetworkPolicy the fragments for the node's agent) and the wiring hands a factory of each
 * to the NodeActor. The features depend on this package to reach their node; it depends on none of
 * them, only on the pure payloads its messages carry.
 *
 * @param cloudRetryBackoff the pause before a failed cloud-node write is tried again
 * @param agents which registering agent the NodeActor believes
 */
public record NodeParts(
    Ports.Factory ports,
    Cloud.Factory cloud,
    Netpol.Factory netpol,
    Duration cloudRetryBackoff,
    Agents agents) {

  /**
   * How a NodeActor checks that a registration comes from its node's agent ({@link
   * io.netsvc.actors.node.model.AgentAdmission}).
   *
   * @param cached the Node as this member's informer cache holds it (empty if it does not), for a
   *     NodeActor that started after the Node was last observed (a rebuild elsewhere)
   */
  public record Agents(AgentCheck check, Function<String, Optional<NodeInfo>> cached) {
    /** Every agent believed; the mode of netsvc sim and of tests that are not about it. */
    public static final Agents UNCHECKED = new Agents(AgentCheck.OFF, node -> Optional.empty());
  }

  /** ServiceLB's host-port ledger of one node; it tells each Service its decision itself. */
  public interface Ports {
    /** A Service wants these ports here; it hears its decision even when nothing changed. */
    void claim(String serviceKey, String creationTimestamp, Set<PortKey> ports);

    void release(String serviceKey);

    /** An ordinary pod holds these host ports (empty: it is gone). */
    void podPorts(String podKey, Set<PortKey> ports);

    /** port → holder, for the Management route. */
    List<NodeActor.Held> held();

    /** The Services refused here, and why. */
    List<NodeActor.Waiting> waiting();

    /**
     * When the NodeActor should call {@link #recheck} (null: no need), e.g. while the ledger waits
     * for the caches it recovers its holders from.
     */
    default Duration recheckIn() {
      return null;
    }

    default void recheck() {}

    /** After each step: the ledger tells the metrics what it holds, if that changed. */
    default void report() {}

    /** The NodeActor stopped (moved, passivated, node gone): its usage is no longer shown here. */
    default void stopped() {}

    /** Builds the ledger of one node. */
    interface Factory {
      Ports create(String node);
    }
  }

  /** The cloud-controller stub's part: the Node's address annotations, addresses and taint. */
  public interface Cloud {
    /** The watch shows the Node as it is now. */
    void observed(NodeInfo node);

    /** The node's agent (re)registered with the addresses it was started with. */
    void agent(AgentIdentity identity);

    /** A write ended; {@code error} is null on success. */
    void written(String error, boolean removedTaint);

    /** After a failed write: try again with what is known now. */
    void retry();

    /** What the Management route shows: synced, waiting (and why), or disabled. */
    String status();

    /** Builds the part of one node. */
    interface Factory {
      /**
       * @param writes runs a write and reports its end to the NodeActor, with whether it removes
       *     the taint; the NodeActor then calls {@link Cloud#written}
       */
      Cloud create(String node, Logger log, BiConsumer<CompletionStage<Void>, Boolean> writes);
    }
  }

  /** NetworkPolicy's part: what the node's agent must enforce, and what it reported applying. */
  public interface Netpol {
    /** A policy's fragment for this node, or its removal ({@code policy} null). */
    void fragment(String policyKey, long generation, CompiledPolicy policy);

    /**
     * The same, stamped with when its policy sent it ({@code sentMicros}, see {@link
     * NodeActor.PolicyFragment}), for the agent to time the send stage.
     */
    default void fragment(
        String policyKey, long generation, CompiledPolicy policy, long sentMicros) {
      fragment(policyKey, generation, policy);
    }

    /** A pod on this node changed, or is gone ({@code pod} null). */
    void pod(String podKey, NetpolPod pod);

    /**
     * Everything again, for an agent that just (re)registered; the NodeActor marks the end of it.
     */
    void resend();

    void applied(AppliedRuleset report);

    int policies();

    int localPods();

    /** null until the agent reports; its ruleset text is empty (the agent shows it on demand). */
    AppliedRuleset lastApplied();

    /**
     * Whether it knows everything the agent must enforce. A part that started after a restart or a
     * move may still be gathering it; the NodeActor holds the agent's snapshot back until then,
     * because a fresh agent takes its first snapshot as the whole truth.
     */
    default boolean complete() {
      return true;
    }

    /** How often {@link #tick} runs; null for never. */
    default Duration tickEvery() {
      return null;
    }

    /** Its timer: gathering retries and the level-triggered resync. */
    default void tick() {}

    /** Tell every policy now which generation the node holds, without waiting for the resync. */
    default void recheck() {}

    /** Builds the part of one node. */
    interface Factory {
      /**
       * @param agent tells the node's current agent (does nothing while there is none)
       */
      Netpol create(String node, Consumer<AgentProtocol.Command> agent);
    }
  }
}
