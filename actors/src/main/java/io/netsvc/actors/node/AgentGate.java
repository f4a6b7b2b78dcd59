package io.netsvc.actors.node;

import io.netsvc.actors.node.model.AgentAdmission;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * A NodeActor's check of who registers as its node's agent ({@link AgentAdmission}). An agent that
 * is not believed hears nothing and its claimed addresses are not used; it is logged once, not at
 * each of its retries (every agent-register-interval).
 */
final class AgentGate {
  private final String node;
  private final NodeParts.Agents agents;
  private final Logger log;
  // the Node's status.addresses as last observed; null until known
  private List<NodeAddress> nodeAddresses;
  private ActorRef<AgentProtocol.Command> lastNotBelieved;

  AgentGate(String node, NodeParts.Agents agents, Logger log) {
    this.node = node;
    this.agents = agents;
    this.log = log;
  }

  void observed(NodeInfo n) {
    nodeAddresses = n.addresses();
  }

  boolean believes(ActorRef<AgentProtocol.Command> candidate) {
    if (nodeAddresses == null) {
      // started after the Node was last observed (e.g. rebuilt on another member)
      nodeAddresses = agents.cached().apply(node).map(NodeInfo::addresses).orElse(null);
    }
    AgentAdmission.Decision d =
        AgentAdmission.decide(agents.check(), candidate.path().address().getHost(), nodeAddresses);
    if (d instanceof AgentAdmission.Accept) return true;
    if (candidate.equals(lastNotBelieved)) return false;
    lastNotBelieved = candidate;
    if (d instanceof AgentAdmission.Refuse r) {
      log.warn(
          "refused a registration as the agent of node {} from {}: {}",
          node,
          candidate.path(),
          r.reason());
    } else {
      log.info(
          "a registration as the agent of node {} from {} waits until the Node is known",
          node,
          candidate.path());
    }
    return false;
  }
}
