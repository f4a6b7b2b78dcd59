package io.netsvc.actors.netpol;

import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.netpol.model.AgentHoldings;
import io.netsvc.actors.netpol.model.AppliedRuleset;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NetworkPolicy part of a NodeActor: the fragments of the policies that select pods on this
 * node and the node's pods, kept so that a (re)started agent gets the full state at once; the
 * agent's reports of what it applied are kept for the Management route and passed on to the
 * policies as "realised".
 *
 * <p>A part that starts (the NodeActor's first start, a restart, a move after a crash) knows
 * nothing of the fragments its predecessor held. It reads the node's pods from the member's caches
 * and asks every policy there for its fragment (each answers with it, or with a removal); until all
 * have answered it is not {@link #complete()}, and the agent's snapshot waits, since a fresh agent
 * takes its first snapshot as the whole truth. A policy the agent reports holding but the part does
 * not know (deleted meanwhile, its removal lost) is asked too, and answers with the removal.
 * Removals are remembered until the agent no longer reports the policy, so a snapshot carries them
 * to an agent that missed them. Every resync interval it tells each policy which generation it
 * holds, and the policy repairs what is wrong; and it compares what its agent reports holding with
 * what it sent the agent, and sends again what the agent lacks at two checks in a row (a fragment
 * lost between the NodeActor and its agent, which the policies cannot see: {@link AgentHoldings}).
 */
public final class NodeNetpol implements NodeParts.Netpol {
  private static final Logger LOG = LoggerFactory.getLogger(NodeNetpol.class);
  static final Duration TICK = Duration.ofMillis(500);

  private final String node;
  private final ClusterSharding sharding;
  private final Consumer<AgentProtocol.Command> agent;
  private final NetpolCache cache;
  private final long ticksPerResync;
  private final ResyncRepairs repairs;
  private final Map<String, AgentProtocol.Fragment> fragments = new TreeMap<>();
  private final Map<String, NetpolPod> pods = new TreeMap<>();
  private final Set<String> awaiting = new TreeSet<>();
  private final Set<String> removed = new TreeSet<>();
  // what the agent's report lacked at the last recheck (see AgentHoldings)
  private Map<String, Long> agentLacks = Map.of();
  private boolean gathered;
  private long ticks;
  private AppliedRuleset applied;

  private NodeNetpol(
      String node,
      ClusterSharding sharding,
      Consumer<AgentProtocol.Command> agent,
      NetpolCache cache,
      Duration resyncEvery,
      ResyncRepairs repairs) {
    this.node = node;
    this.sharding = sharding;
    this.agent = agent;
    this.cache = cache;
    this.ticksPerResync = Math.max(1, resyncEvery.toMillis() / TICK.toMillis());
    this.repairs = repairs;
    this.gathered = cache == NetpolCache.NONE;
    gather();
  }

  /** Without caches: complete from the start, no resync (tests of the NodeActor alone). */
  public static NodeParts.Netpol.Factory factory(ClusterSharding sharding) {
    return factory(sharding, NetpolCache.NONE, Duration.ofSeconds(60), ResyncRepairs.NONE);
  }

  /**
   * The parts of the nodes, telling the NetworkPolicyActors through {@code sharding}; what their
   * resync sends an agent again is counted in {@code repairs} as kind {@code agent}.
   */
  public static NodeParts.Netpol.Factory factory(
      ClusterSharding sharding, NetpolCache cache, Duration resyncEvery, ResyncRepairs repairs) {
    return (node, agent) -> new NodeNetpol(node, sharding, agent, cache, resyncEvery, repairs);
  }

  private void gather() {
    if (gathered || !cache.synced()) return;
    gathered = true;
    // what arrived before the caches listed is newer than they were
    cache.podsOn(node).forEach(p -> pods.putIfAbsent(p.key(), p));
    cache.policies().forEach(p -> awaiting.add(p.key()));
    awaiting.removeAll(fragments.keySet());
    awaiting.removeAll(removed);
    awaiting.forEach(this::ask);
    if (!awaiting.isEmpty()) {
      LOG.info("netpol: node {} asks {} policies for their fragments", node, awaiting.size());
    }
  }

  private void ask(String policyKey) {
    sharding
        .entityRefFor(NetworkPolicyActor.TYPE_KEY, policyKey)
        .tell(new NetworkPolicyActor.Resend(node));
  }

  @Override
  public void fragment(String key, long generation, CompiledPolicy policy) {
    fragment(key, generation, policy, 0);
  }

  @Override
  public void fragment(String key, long generation, CompiledPolicy policy, long sentMicros) {
    // kept unstamped: what is sent again later (snapshot, repair) is not timed as a send
    AgentProtocol.Fragment f = new AgentProtocol.Fragment(key, generation, policy);
    awaiting.remove(key);
    if (policy == null) {
      fragments.remove(key);
      if (rebuilds()) removed.add(key);
    } else {
      fragments.put(key, f);
      removed.remove(key);
    }
    agent.accept(f.sentAt(sentMicros));
  }

  @Override
  public void pod(String key, NetpolPod pod) {
    if (pod == null) pods.remove(key);
    else pods.put(key, pod);
    agent.accept(new AgentProtocol.LocalPod(key, pod));
  }

  @Override
  public void resend() {
    pods.forEach((k, p) -> agent.accept(new AgentProtocol.LocalPod(k, p)));
    fragments.values().forEach(agent);
    // an agent that kept running merges a snapshot and removes nothing: it must hear the removals
    removed.forEach(k -> agent.accept(new AgentProtocol.Fragment(k, 0, null)));
  }

  @Override
  public void applied(AppliedRuleset report) {
    Map<String, Long> before = applied == null ? Map.of() : applied.policies();
    // an agent of an older build still sends its text: not kept, the route asks for it
    applied =
        report.ruleset() == null || report.ruleset().isEmpty() ? report : report.withRuleset("");
    report
        .policies()
        .forEach(
            (key, gen) -> {
              if (!gen.equals(before.get(key))) {
                sharding
                    .entityRefFor(NetworkPolicyActor.TYPE_KEY, key)
                    .tell(new NetworkPolicyActor.Realised(node, gen));
              }
            });
    if (report.error() != null || !rebuilds()) return;
    removed.retainAll(report.policies().keySet());
    if (!gathered) return;
    // the agent holds a policy this part does not know: its policy says whether it should
    for (String key : report.policies().keySet()) {
      if (!fragments.containsKey(key) && !removed.contains(key) && !awaiting.contains(key)) {
        ask(key);
      }
    }
  }

  /** With the member's caches: a part that can rebuild itself (without, it only keeps state). */
  private boolean rebuilds() {
    return cache != NetpolCache.NONE;
  }

  @Override
  public boolean complete() {
    return gathered && awaiting.isEmpty();
  }

  @Override
  public Duration tickEvery() {
    return rebuilds() ? TICK : null;
  }

  @Override
  public void tick() {
    ticks++;
    if (!gathered) {
      gather();
      return;
    }
    if (!awaiting.isEmpty()) {
      awaiting.forEach(this::ask);
      if (ticks % 20 == 0) {
        LOG.warn("netpol: node {} still waits for the fragments of {}", node, awaiting);
      }
    }
    // each tick reports a slice of the fragments, so a round's reports (one per policy on each
    // node) do not leave every NodeActor of a member at once and overflow its send queues
    long slot = ticks % ticksPerResync;
    fragments.forEach(
        (key, f) -> {
          if (Math.floorMod(key.hashCode(), ticksPerResync) == slot) held(key, f);
        });
    if (slot == 0) checkAgent();
  }

  private void held(String key, AgentProtocol.Fragment f) {
    sharding
        .entityRefFor(NetworkPolicyActor.TYPE_KEY, key)
        .tell(new NetworkPolicyActor.Held(node, f.generation()));
  }

  @Override
  public void recheck() {
    if (!gathered) return;
    fragments.forEach(this::held);
    checkAgent();
  }

  private void checkAgent() {
    // what the agent reported holding beyond the fragments: its policies say whether it should
    if (applied != null && applied.error() == null) {
      for (String key : applied.policies().keySet()) {
        if (!fragments.containsKey(key) && !awaiting.contains(key)) ask(key);
      }
    }
    repairAgent();
  }

  /** Sends the agent again what it has lacked since the last recheck. */
  private void repairAgent() {
    if (!rebuilds() || applied == null || applied.error() != null) return;
    Map<String, Long> sent = new TreeMap<>();
    fragments.forEach((key, f) -> sent.put(key, f.generation()));
    AgentHoldings.Result r = AgentHoldings.check(sent, removed, applied.policies(), agentLacks);
    agentLacks = r.pending();
    for (String key : r.resend()) {
      AgentProtocol.Fragment f = fragments.get(key);
      agent.accept(f != null ? f : new AgentProtocol.Fragment(key, 0, null));
      repairs.repaired("agent");
    }
    if (!r.resend().isEmpty()) {
      LOG.info(
          "netpol resync: node {}'s agent lacked {} policies at two checks, sent again: {}",
          node,
          r.resend().size(),
          r.resend().size() > 10 ? r.resend().subList(0, 10) + " ..." : r.resend());
    }
  }

  @Override
  public AppliedRuleset lastApplied() {
    return applied;
  }

  @Override
  public int policies() {
    return fragments.size();
  }

  @Override
  public int localPods() {
    return pods.size();
  }
}
