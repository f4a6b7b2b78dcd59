package io.netsvc.actors.netpol.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's side of the level-triggered resync: what its agent reports holding against what the
 * NodeActor sent it. A fragment or removal lost on its way to the agent (a full send queue between
 * two processes, an agent that restarted in between) shows as a policy the agent reports at another
 * generation, or still holds though it was removed. A report that merely lags behind a send looks
 * the same, so a difference is acted on only when it is still there, unchanged, at the next check:
 * by then the agent has had a whole resync interval to apply and report.
 *
 * <p>Pure: the NodeActor keeps the state between checks and sends what {@link #check} returns.
 */
public final class AgentHoldings {
  /** The generation recorded for a removal the agent should have applied. */
  public static final long REMOVED = -1;

  /**
   * @param resend policies whose fragment (or removal) goes to the agent again
   * @param pending the differences seen now, for the next check
   */
  public record Result(List<String> resend, Map<String, Long> pending) {}

  private AgentHoldings() {}

  /**
   * @param sent each fragment the agent should hold, by policy, at which generation
   * @param removed policies the agent was told to drop
   * @param reported what the agent last reported holding (policy → generation)
   * @param pending the differences found by the previous check ({@link Result#pending()})
   */
  public static Result check(
      Map<String, Long> sent,
      Set<String> removed,
      Map<String, Long> reported,
      Map<String, Long> pending) {
    Map<String, Long> next = new TreeMap<>();
    sent.forEach(
        (key, generation) -> {
          if (!generation.equals(reported.get(key))) next.put(key, generation);
        });
    for (String key : removed) {
      if (reported.containsKey(key) && !sent.containsKey(key)) next.put(key, REMOVED);
    }
    List<String> resend =
        next.entrySet().stream()
            .filter(e -> e.getValue().equals(pending.get(e.getKey())))
            .map(Map.Entry::getKey)
            .toList();
    return new Result(resend, next);
  }
}
