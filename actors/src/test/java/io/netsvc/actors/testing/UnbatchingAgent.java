package io.netsvc.actors.testing;

import io.netsvc.actors.node.AgentProtocol;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An agent for tests of what a NodeActor tells its agent, one message at a time: it passes each
 * change of an {@link AgentProtocol.Batch} on to the probe as the message it stands for (a burst,
 * such as a snapshot, comes batched), and everything else as it is. One per probe, so that a probe
 * registering again is the same agent.
 */
public final class UnbatchingAgent {
  private static final Map<TestProbe<AgentProtocol.Command>, ActorRef<AgentProtocol.Command>>
      AGENTS = new ConcurrentHashMap<>();

  private UnbatchingAgent() {}

  public static ActorRef<AgentProtocol.Command> of(
      ActorTestKit kit, TestProbe<AgentProtocol.Command> probe) {
    return AGENTS.computeIfAbsent(
        probe,
        p ->
            kit.spawn(
                Behaviors.receiveMessage(
                    m -> {
                      if (m instanceof AgentProtocol.Batch b) {
                        b.changes().forEach(c -> p.getRef().tell(c.message()));
                      } else {
                        p.getRef().tell(m);
                      }
                      return Behaviors.same();
                    })));
  }
}
