package io.netsvc.nodeagent.netpol.backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables of one family as the in-memory kernel keeps them: chains with ordered rules, and how
 * many rules jump to each chain and match on each set, counted as rules come and go so that
 * deleting a chain or a set asks one number instead of reading every rule. Every change goes
 * through a method here that records its undo step, so a restore can be rolled back.
 */
final class IptablesState {
  static final Map<String, List<String>> BUILTIN =
      Map.of(
          "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
          "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
          "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
          "raw", List.of("PREROUTING", "OUTPUT"),
          "security", List.of("INPUT", "FORWARD", "OUTPUT"));

  /** One chain; a rule is its normalized spec without the {@code -A <chain>} head. */
  static final class Chain {
    String policy;
    List<String> rules;

    Chain(String policy, List<String> rules) {
      this.policy = policy;
      this.rules = rules;
    }

    boolean builtin() {
      return !policy.equals("-");
    }
  }

  /** One table: its chains by name (sorted, as the save prints user chains) and jump counts. */
  static final class Table {
    final Map<String, Chain> chains = new TreeMap<>();
    final Map<String, Integer> jumps = new HashMap<>();
  }

  private final Map<String, Table> tables = new HashMap<>();
  private final Map<String, Integer> setMatches = new HashMap<>();
  private final Journal journal = new Journal();

  /** Keeps the changes of the restore just applied. */
  void commit() {
    journal.commit();
  }

  /** Puts back the state as it was at the last commit. */
  void rollback() {
    journal.rollback();
  }

  /** The named table, created with its built-in chains on first use. */
  Table table(String name) {
    Table table = tables.get(name);
    if (table != null) return table;
    Table created = fresh(name);
    tables.put(name, created);
    journal.record(() -> tables.remove(name));
    return created;
  }

  private static Table fresh(String name) {
    Table table = new Table();
    for (String builtin : BUILTIN.get(name)) {
      table.chains.put(builtin, new Chain("ACCEPT", new ArrayList<>()));
    }
    return table;
  }

  /** True when some rule of this family matches on the named set. */
  boolean usesSet(String set) {
    return setMatches.containsKey(set);
  }

  /** How many rules of {@code table} jump (or go) to {@code chain}. */
  static int jumpsTo(Table table, String chain) {
    return table.jumps.getOrDefault(chain, 0);
  }

  void newChain(Table table, String name) {
    table.chains.put(name, new Chain("-", new ArrayList<>()));
    journal.record(() -> table.chains.remove(name));
  }

  /** Removes a chain; the caller has checked that it is empty and that nothing jumps to it. */
  void deleteChain(Table table, String name) {
    Chain gone = table.chains.remove(name);
    journal.record(() -> table.chains.put(name, gone));
  }

  void policy(Chain chain, String policy) {
    String old = chain.policy;
    chain.policy = policy;
    journal.record(() -> chain.policy = old);
  }

  void insert(Table table, Chain chain, int index, String rule) {
    chain.rules.add(index, rule);
    count(table, rule, 1);
    journal.record(
        () -> {
          chain.rules.remove(index);
          count(table, rule, -1);
        });
  }

  void remove(Table table, Chain chain, int index) {
    String rule = chain.rules.remove(index);
    count(table, rule, -1);
    journal.record(
        () -> {
          chain.rules.add(index, rule);
          count(table, rule, 1);
        });
  }

  /** Empties a chain: the old rule list is kept aside whole, not copied, for the undo. */
  void flush(Table table, Chain chain) {
    List<String> old = chain.rules;
    if (old.isEmpty()) return;
    chain.rules = new ArrayList<>();
    old.forEach(rule -> count(table, rule, -1));
    journal.record(
        () -> {
          chain.rules = old;
          old.forEach(rule -> count(table, rule, 1));
        });
  }

  /** Adds {@code delta} to the counts of the chain a rule jumps to and the sets it matches. */
  private void count(Table table, String rule, int delta) {
    List<String> tokens = Tokens.split(rule);
    String target = IptablesRestore.target(tokens);
    if (target != null) add(table.jumps, target, delta);
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).equals("--match-set")) add(setMatches, tokens.get(i + 1), delta);
    }
  }

  private static void add(Map<String, Integer> counts, String key, int delta) {
    // a count that drops to zero goes, so "in use" is "present"
    counts.merge(key, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  /** {@code iptables-save -t <table>} text: built-in chains first, then user chains by name. */
  String save(String table, String generatedBy) {
    // a read changes nothing: a table never written is shown as the kernel would create it
    Map<String, Chain> chains = tables.getOrDefault(table, fresh(table)).chains;
    List<String> order = new ArrayList<>(BUILTIN.get(table));
    chains.keySet().stream().filter(c -> !order.contains(c)).forEach(order::add);
    StringBuilder out = new StringBuilder();
    out.append("# Generated by ").append(generatedBy).append('\n');
    out.append('*').append(table).append('\n');
    for (String name : order) {
      out.append(':').append(name).append(' ').append(chains.get(name).policy);
      out.append(" [0:0]\n");
    }
    for (String name : order) {
      for (String rule : chains.get(name).rules) {
        out.append("-A ").append(name).append(' ').append(rule).append('\n');
      }
    }
    out.append("COMMIT\n# Completed\n");
    return out.toString();
  }
}
