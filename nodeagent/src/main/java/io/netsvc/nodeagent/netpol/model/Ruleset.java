package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.IpFamily;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything netsvc owns in one node's netfilter state, per family: its chains (name → rule specs
 * in order, without the {@code -A <chain>} head) and its ipsets. The built-in chains {@code
 * INPUT}/{@code FORWARD}/{@code OUTPUT} appear with only netsvc's own rules in them; every such
 * rule contains {@code KUBE-ROUTER}, so K3s's clean-up {@code iptables-save | grep -v KUBE-ROUTER |
 * iptables-restore} removes them all. Immutable; maps sorted by name.
 */
public record Ruleset(Map<IpFamily, Table> tables) {
  public static final Set<String> BUILTIN_CHAINS = Set.of("INPUT", "FORWARD", "OUTPUT");
  public static final Ruleset EMPTY = new Ruleset(Map.of());

  /**
   * One ipset.
   *
   * @param type {@code hash:ip} or {@code hash:net}
   * @param options create options after the type, e.g. {@code timeout 0 family inet6}
   * @param members entries as {@code ipset save} prints them, an except as {@code <net> nomatch};
   *     sorted, unique
   */
  public record IpSet(String type, String options, List<String> members) {
    public IpSet {
      // compiled peer lists arrive sorted: then no sort and (for an immutable list) no copy
      members = ascending(members) ? List.copyOf(members) : List.copyOf(new TreeSet<>(members));
    }

    private static boolean ascending(List<String> xs) {
      for (int i = 1; i < xs.size(); i++) {
        if (xs.get(i - 1).compareTo(xs.get(i)) >= 0) return false;
      }
      return true;
    }

    /** Same type and options: the set can be updated in place or swapped. */
    public boolean sameKind(IpSet o) {
      return type.equals(o.type) && options.equals(o.options);
    }
  }

  /** The chains and sets of one family. */
  public record Table(Map<String, List<String>> chains, Map<String, IpSet> sets) {
    public static final Table EMPTY = new Table(Map.of(), Map.of());

    public Table {
      Map<String, List<String>> c = new TreeMap<>();
      chains.forEach((k, v) -> c.put(k, List.copyOf(v)));
      chains = Collections.unmodifiableMap(c);
      sets = Collections.unmodifiableMap(new TreeMap<>(sets));
    }

    /** Our rules of a chain, empty when we have none there. */
    public List<String> chain(String name) {
      return chains.getOrDefault(name, List.of());
    }
  }

  /** Sizes, as the gauges and the comparison with kube-router's layout want them. */
  public record Counts(int chains, int rules, int sets, int members) {
    public Counts plus(Counts o) {
      return new Counts(chains + o.chains, rules + o.rules, sets + o.sets, members + o.members);
    }
  }

  public Ruleset {
    Map<IpFamily, Table> t = new EnumMap<>(IpFamily.class);
    t.putAll(tables);
    tables = Collections.unmodifiableMap(t);
  }

  public Table table(IpFamily f) {
    return tables.getOrDefault(f, Table.EMPTY);
  }

  /** Chains we own (built-in chains not counted), rules (ours in built-ins counted), sets. */
  public Counts counts(IpFamily f) {
    Table t = table(f);
    int chains = 0;
    int rules = 0;
    for (Map.Entry<String, List<String>> e : t.chains().entrySet()) {
      if (!BUILTIN_CHAINS.contains(e.getKey())) chains++;
      rules += e.getValue().size();
    }
    int members = t.sets().values().stream().mapToInt(s -> s.members().size()).sum();
    return new Counts(chains, rules, t.sets().size(), members);
  }

  /** Both families together. */
  public Counts counts() {
    Counts c = new Counts(0, 0, 0, 0);
    for (IpFamily f : tables.keySet()) c = c.plus(counts(f));
    return c;
  }

  /** A readable dump: per family the chains as {@code -A} lines, then the sets. */
  public String dump() {
    StringBuilder sb = new StringBuilder();
    tables.forEach(
        (f, t) -> {
          sb.append("# ").append(f.kubernetesName()).append('\n');
          t.chains()
              .forEach(
                  (c, rules) ->
                      rules.forEach(
                          r -> sb.append("-A ").append(c).append(' ').append(r).append('\n')));
          t.sets()
              .forEach(
                  (n, s) -> {
                    sb.append("create ").append(n).append(' ').append(s.type());
                    sb.append(' ').append(s.options()).append('\n');
                    s.members()
                        .forEach(
                            m -> sb.append("add ").append(n).append(' ').append(m).append('\n'));
                  });
        });
    return sb.toString();
  }
}
