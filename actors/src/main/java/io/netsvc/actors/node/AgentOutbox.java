package io.netsvc.actors.node;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.CompiledRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a NodeActor sends its agent, paced: a lone change goes out at once, but in a burst (more
 * than {@link #LONE} fragments and pods within {@link #WINDOW_NANOS}) the rest wait until the
 * window ends; a newer fragment of the same policy (or pod) replaces the one waiting, and what
 * waited goes out as {@link AgentProtocol.Batch}es. The agent may be in another process, and Artery
 * drops what overflows its send queue to that process: a burst of 1,000 policies recompiled per pod
 * event would otherwise be thousands of messages a second to each agent, most of them superseded
 * before the agent could apply them.
 *
 * <p>Order is kept where it matters: the fragments and pods of one key in the order they came, and
 * everything before a {@link AgentProtocol.Registered}, {@link AgentProtocol.PodCidrs} or {@link
 * AgentProtocol.SnapshotDone} before it. Not thread-safe: owned by its NodeActor.
 */
final class AgentOutbox {
  static final long WINDOW_NANOS = 10_000_000L;
  static final int LONE = 8;

  /**
   * A batch carries at most this many pod IPs, targets and fragments together: at ~30 bytes of CBOR
   * each about 1 MiB, well inside Artery's 8 MiB large frame (a bigger fragment goes alone).
   */
  static final int MAX_WEIGHT = 32_000;

  private final LongSupplier nanos;
  private final Map<String, AgentProtocol.Command> waiting = new LinkedHashMap<>();
  private long windowStart = Long.MIN_VALUE;
  private int sentInWindow;

  AgentOutbox(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /**
   * Sends {@code message} now through {@code send}, or keeps it for {@link #flush}.
   *
   * @return true when it was kept and nothing was waiting before: the caller schedules a flush in
   *     {@link #WINDOW_NANOS}
   */
  boolean offer(AgentProtocol.Command message, Consumer<AgentProtocol.Command> send) {
    String key = key(message);
    if (key == null) {
      flush(send);
      send.accept(message);
      return false;
    }
    long now = nanos.getAsLong();
    if (now - windowStart >= WINDOW_NANOS) {
      windowStart = now;
      sentInWindow = 0;
    }
    if (waiting.isEmpty() && sentInWindow < LONE) {
      sentInWindow++;
      send.accept(message);
      return false;
    }
    boolean first = waiting.isEmpty();
    waiting.put(key, message);
    return first;
  }

  /** Sends what waits, in batches; a new window starts. */
  void flush(Consumer<AgentProtocol.Command> send) {
    if (waiting.isEmpty()) return;
    List<AgentProtocol.Command> batch = new ArrayList<>();
    int weight = 0;
    for (AgentProtocol.Command m : waiting.values()) {
      int w = weight(m);
      if (!batch.isEmpty() && weight + w > MAX_WEIGHT) {
        send.accept(one(batch));
        batch = new ArrayList<>();
        weight = 0;
      }
      batch.add(m);
      weight += w;
    }
    send.accept(one(batch));
    waiting.clear();
    windowStart = nanos.getAsLong();
    sentInWindow = 0;
  }

  /** Drops what waits (a new agent registered: it gets everything in its snapshot). */
  void clear() {
    waiting.clear();
  }

  int waiting() {
    return waiting.size();
  }

  private static AgentProtocol.Command one(List<AgentProtocol.Command> batch) {
    if (batch.size() == 1) return batch.get(0);
    return new AgentProtocol.Batch(batch.stream().map(AgentProtocol.Change::of).toList());
  }

  private static String key(AgentProtocol.Command m) {
    if (m instanceof AgentProtocol.Fragment f) return "policy " + f.policyKey();
    if (m instanceof AgentProtocol.LocalPod p) return "pod " + p.podKey();
    return null;
  }

  static int weight(AgentProtocol.Command m) {
    if (!(m instanceof AgentProtocol.Fragment f) || f.policy() == null) return 1;
    CompiledPolicy p = f.policy();
    // targets twice: once as the list, once in targetsByNode (a fragment holds only the node's
    // own targets and no target IPs: CompiledPolicy.forNode)
    int w = 1 + 2 * p.targets().size() + p.targetIps().size();
    for (CompiledRule r : p.ingress()) w += weight(r);
    for (CompiledRule r : p.egress()) w += weight(r);
    return w;
  }

  private static int weight(CompiledRule r) {
    int w = 1 + r.peerIps().size() + r.cidrPeers().size();
    for (var g : r.namedGroups()) w += g.pods().size();
    return w;
  }
}
