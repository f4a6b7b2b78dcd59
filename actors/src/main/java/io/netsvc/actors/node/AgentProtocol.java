package io.netsvc.actors.node;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.netpol.NetpolPod;

/**
 * What a NodeActor tells the agent of its node (the agent lives in module nodeagent). The NodeActor
 * re-sends its full state whenever an agent (re)registers, so an agent never has to ask.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /** Messages an agent understands. */
  public sealed interface Command extends CborSerializable permits Registered, Fragment, LocalPod {}

  /** The NodeActor acknowledges a registration; {@code generation} counts re-registrations. */
  public record Registered(String node, long generation) implements Command {}

  /** A policy's fragment for this node, or its removal ({@code policy} null). */
  public record Fragment(String policyKey, long generation, CompiledPolicy policy)
      implements Command {}

  /** A pod on this node changed, or is gone ({@code pod} null). */
  public record LocalPod(String podKey, NetpolPod pod) implements Command {}
}
