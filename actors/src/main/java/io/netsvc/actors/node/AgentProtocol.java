package io.netsvc.actors.node;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a NodeActor tells the agent of its node (the agent lives in module nodeagent). Whenever a
 * new agent (or a restarted one) registers, the NodeActor sends it a snapshot: {@link Registered}
 * with {@code snapshot} true, the Node's {@link PodCidrs} once the Node has them, every fragment
 * and local pod it holds, then {@link SnapshotDone}; after that each change as it happens (new pod
 * CIDRs too). An agent never has to ask, and it knows when it has everything. The one question goes
 * the other way: {@link ShowRuleset}, for the Management route.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /** Messages an agent understands. */
  public sealed interface Command extends CborSerializable
      permits Registered, PodCidrs, Fragment, LocalPod, Batch, SnapshotDone, ShowRuleset {}

  /**
   * The NodeActor acknowledges a registration; {@code generation} counts the agents it has seen.
   * With {@code snapshot} its full state follows, ended by {@link SnapshotDone} of the same
   * generation; without, the agent was already registered and has it all.
   */
  public record Registered(String node, long generation, boolean snapshot) implements Command {}

  /**
   * The Node's {@code spec.podCIDRs}, from the member's informer cache: the agent needs no API
   * access for them. Traffic to or from a pod in them that is not programmed yet is rejected.
   */
  public record PodCidrs(List<String> cidrs) implements Command {
    public PodCidrs {
      cidrs = List.copyOf(cidrs);
    }
  }

  /**
   * A policy's fragment for this node, or its removal ({@code policy} null). {@code sentMicros}:
   * the wall-clock time (microseconds since the epoch) its NetworkPolicyActor sent it, so the agent
   * can time the send stage across processes; 0 when not a fresh send (a snapshot, a repair, an old
   * sender), which the agent does not time. It says when, not what: equality ignores it.
   */
  public record Fragment(String policyKey, long generation, CompiledPolicy policy, long sentMicros)
      implements Command {
    /** Not timed: a fragment sent again, or by a sender that does not stamp. */
    public Fragment(String policyKey, long generation, CompiledPolicy policy) {
      this(policyKey, generation, policy, 0);
    }

    /** The same fragment, stamped as sent by its policy at {@code micros}. */
    public Fragment sentAt(long micros) {
      return micros == sentMicros ? this : new Fragment(policyKey, generation, policy, micros);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fragment f
          && generation == f.generation
          && java.util.Objects.equals(policyKey, f.policyKey)
          && java.util.Objects.equals(policy, f.policy);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(policyKey, generation, policy);
    }
  }

  /** A pod on this node changed, or is gone ({@code pod} null). */
  public record LocalPod(String podKey, NetpolPod pod) implements Command {}

  /**
   * Fragments and pods that changed within a few milliseconds, sent together (a newer change of the
   * same policy or pod replaced an older one): the agent takes them as if they came one by one, in
   * this order.
   */
  public record Batch(List<Change> changes) implements Command {
    public Batch {
      changes = List.copyOf(changes);
    }
  }

  /** One change of a {@link Batch}: a fragment or a pod (the other is null). */
  public record Change(Fragment fragment, LocalPod pod) implements CborSerializable {
    public static Change of(Command c) {
      if (c instanceof Fragment f) return new Change(f, null);
      if (c instanceof LocalPod p) return new Change(null, p);
      throw new IllegalArgumentException("not a fragment or pod: " + c);
    }

    /** The fragment or the pod, as the message it stands for. */
    public Command message() {
      return fragment != null ? fragment : pod;
    }
  }

  /** The snapshot announced by {@link Registered} of {@code generation} is complete. */
  public record SnapshotDone(long generation) implements Command {}

  /**
   * Reply with the node's ruleset as the agent holds it now, as text. Asked only when someone reads
   * {@code /netpol/nodes/{node}}: the agent's apply reports do not carry the text, since dumping it
   * costs O(rules on the node) per change and keeping it was most of a NodeActor's memory.
   */
  public record ShowRuleset(ActorRef<RulesetText> replyTo) implements Command {}

  /**
   * The node's ruleset as {@code iptables-save} and {@code ipset save} would print our part of it,
   * or a one-line summary when it is too large to show. Sent to the asking NodeActor itself.
   */
  public record RulesetText(String text) implements NodeActor.Command {}
}
