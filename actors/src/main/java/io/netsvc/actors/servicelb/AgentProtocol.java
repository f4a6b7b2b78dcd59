package io.netsvc.actors.servicelb;

import io.netsvc.k8s.records.CborSerializable;

/**
 * What a NodeActor says to the agent of its node (the agent lives in module nodeagent). The
 * NodeActor re-sends its full state whenever an agent (re)registers.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /** Messages an agent understands. */
  public interface Command extends CborSerializable {}

  /** The NodeActor acknowledges a registration; {@code generation} counts re-registrations. */
  public record Registered(String node, long generation) implements Command {}
}
