package io.netsvc.actors.netpol;

import java.util.HashMap;
import java.util.Map;

/**
 * One policy's side of the level-triggered resync: when it last sent each node something, and when
 * each node last confirmed holding the current fragment. Time is counted in resync rounds, so a
 * message still in flight (sent this round or the last) is never taken for a loss, and a node that
 * has not confirmed for three whole rounds since it was sent the fragment is taken to have lost it
 * (a node confirms once a round; the margin absorbs timers that drift on a busy machine).
 */
final class HeldCheck {
  private long round;
  private final Map<String, Long> sentAt = new HashMap<>();
  private final Map<String, Long> confirmedAt = new HashMap<>();

  /** A fragment or a removal went to {@code node} now. */
  void sent(String node) {
    sentAt.put(node, round);
    confirmedAt.remove(node);
  }

  /** Sent so recently that the node's report may have crossed it. */
  boolean recent(String node) {
    Long at = sentAt.get(node);
    return at != null && at >= round - 1;
  }

  /** The node holds the current fragment. */
  void confirmed(String node) {
    confirmedAt.put(node, round);
  }

  /** The node was sent the fragment three rounds ago or earlier and has not confirmed since. */
  boolean missing(String node) {
    Long at = sentAt.get(node);
    Long ok = confirmedAt.get(node);
    return at != null && at <= round - 3 && (ok == null || ok < round - 3);
  }

  /** The next round begins; what no round looks at any more is forgotten. */
  void nextRound(java.util.Set<String> targets) {
    round++;
    sentAt.entrySet().removeIf(e -> !targets.contains(e.getKey()) && e.getValue() < round - 3);
    confirmedAt.keySet().removeIf(n -> !targets.contains(n));
  }
}
