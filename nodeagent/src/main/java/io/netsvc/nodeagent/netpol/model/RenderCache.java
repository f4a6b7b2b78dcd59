package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.config.ip.IpFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each policy contributed to the last render of one node, so that the next render copies it
 * instead of rendering it again: an agent keeps the same CompiledPolicy object until the policy
 * changes, so a change to one policy (or one pod) re-renders that policy only. Keyed by the policy
 * object's identity, the family, which directions need a chain, and the node's local IPs (ingress
 * named-port sets depend on them). Entries not used by a render are dropped after it. One cache per
 * node; not thread-safe (an agent renders on one thread at a time).
 */
public final class RenderCache {
  record Key(
      Identity policy, IpFamily family, boolean ingress, boolean egress, Set<String> local) {}

  /** Identity of a policy object (its equals is deep and costly). */
  record Identity(CompiledPolicy policy) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.policy == policy;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(policy);
    }
  }

  /** A pod chain's inputs: the pod, its IP, and the keys of the policies selecting it. */
  record PodKey(
      String pod, String ip, IpFamily family, List<String> ingress, List<String> egress) {}

  private Map<PodKey, List<String>> pods = new HashMap<>();
  private Map<PodKey, List<String>> podsUsed = new HashMap<>();
  private Map<Key, Ruleset.Table> entries = new HashMap<>();
  private Map<Key, Ruleset.Table> used = new HashMap<>();
  private int hits;
  private int misses;

  Ruleset.Table get(Key key) {
    Ruleset.Table t = entries.get(key);
    if (t != null) {
      used.put(key, t);
      hits++;
    } else {
      misses++;
    }
    return t;
  }

  void put(Key key, Ruleset.Table table) {
    used.put(key, table);
  }

  List<String> podRules(PodKey key, java.util.function.Supplier<List<String>> render) {
    List<String> rules = pods.get(key);
    if (rules == null) rules = render.get();
    podsUsed.put(key, rules);
    return rules;
  }

  /** After a render: keep what it used, forget the rest. */
  void sweep() {
    entries = used;
    used = new HashMap<>();
    pods = podsUsed;
    podsUsed = new HashMap<>();
  }

  /** Policies copied from the cache and rendered anew, since the cache was made. */
  public int hits() {
    return hits;
  }

  public int misses() {
    return misses;
  }
}
