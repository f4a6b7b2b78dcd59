package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.IptablesState.Chain;
import io.netsvc.nodeagent.netpol.backend.IptablesState.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies {@code iptables-restore --noflush} text to an {@link IptablesState}, checking what the
 * kernel checks: a jump needs an existing chain or a known target, a set match needs an existing
 * set of the right family, a chain in use or not empty cannot be deleted, chain names fit in 28
 * characters. It changes the state as it goes; the caller commits the state when no error was
 * thrown and rolls it back otherwise, so a rejected text changes nothing, as with the nf_tables
 * tool.
 */
final class IptablesRestore {
  static final int MAX_CHAIN_NAME = 28;

  static final Set<String> TARGETS =
      Set.of(
          "ACCEPT",
          "DROP",
          "RETURN",
          "QUEUE",
          "REJECT",
          "MARK",
          "CONNMARK",
          "NFLOG",
          "LOG",
          "DNAT",
          "SNAT",
          "MASQUERADE",
          "REDIRECT",
          "NOTRACK",
          "CT",
          "TCPMSS",
          "CHECKSUM",
          "TPROXY",
          "NFQUEUE",
          "SET",
          "AUDIT",
          "TRACE");

  private final IptablesState state;
  private final IpFamily family;
  private final Function<String, Optional<IpFamily>> setFamily;
  private Table table;
  private int line;

  private IptablesRestore(
      IptablesState state, IpFamily family, Function<String, Optional<IpFamily>> setFamily) {
    this.state = state;
    this.family = family;
    this.setFamily = setFamily;
  }

  /**
   * Applies {@code text} to {@code state} in place.
   *
   * @param setFamily the family of an existing ipset, empty when there is no such set
   * @throws IllegalArgumentException with the tool-like message ending in the line number
   */
  static void apply(
      IptablesState state,
      IpFamily family,
      String text,
      Function<String, Optional<IpFamily>> setFamily) {
    new IptablesRestore(state, family, setFamily).run(text);
  }

  private void run(String text) {
    String[] lines = text.split("\n", -1);
    for (line = 1; line <= lines.length; line++) {
      String raw = lines[line - 1].strip();
      if (raw.isEmpty() || raw.startsWith("#")) {
        continue;
      }
      try {
        apply(raw);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + "\nError occurred at line: " + line);
      }
    }
    if (table != null) {
      throw new IllegalArgumentException("COMMIT expected at line: " + lines.length);
    }
  }

  private void apply(String raw) {
    if (raw.startsWith("*")) {
      require(table == null, "table started before COMMIT");
      String name = raw.substring(1).strip();
      require(IptablesState.BUILTIN.containsKey(name), "Can't initialize table '" + name + "'");
      table = state.table(name);
    } else if (raw.equals("COMMIT")) {
      require(table != null, "COMMIT without a table");
      table = null;
    } else {
      require(table != null, "rule outside a table (missing *filter?)");
      List<String> tokens = Tokens.split(raw);
      if (raw.startsWith(":")) {
        declare(tokens);
      } else {
        command(tokens);
      }
    }
  }

  /** {@code :CHAIN POLICY [p:b]}: sets a built-in policy; creates or (noflush) flushes a chain. */
  private void declare(List<String> tokens) {
    String name = tokens.get(0).substring(1);
    String policy = tokens.size() > 1 ? tokens.get(1) : "-";
    Chain chain = table.chains.get(name);
    if (chain != null && chain.builtin()) {
      require(policy.equals("ACCEPT") || policy.equals("DROP"), "Bad policy " + policy);
      state.policy(chain, policy);
      return;
    }
    require(policy.equals("-"), "Can't set policy `" + policy + "' on `" + name + "'");
    checkChainName(name);
    if (chain == null) {
      state.newChain(table, name);
    } else {
      state.flush(table, chain);
    }
  }

  private void command(List<String> tokens) {
    String op = tokens.get(0);
    String name = tokens.size() > 1 ? tokens.get(1) : null;
    List<String> rest = tokens.size() > 2 ? tokens.subList(2, tokens.size()) : List.of();
    switch (op) {
      case "-A", "--append" -> append(existing(name), rest);
      case "-I", "--insert" -> insert(existing(name), rest);
      case "-D", "--delete" -> delete(existing(name), rest);
      case "-R", "--replace" -> replace(existing(name), rest);
      case "-N", "--new-chain" -> newChain(name);
      case "-F", "--flush" -> flush(name);
      case "-X", "--delete-chain" -> deleteChains(name);
      case "-P", "--policy" -> policy(existing(name), rest);
      case "-Z", "--zero" -> {}
      default -> throw new IllegalArgumentException("unknown command " + op);
    }
  }

  private void policy(Chain chain, List<String> rest) {
    require(chain.builtin(), "-P is for built-in chains only");
    String policy = rest.isEmpty() ? "" : rest.get(0);
    require(policy.equals("ACCEPT") || policy.equals("DROP"), "Bad policy " + policy);
    state.policy(chain, policy);
  }

  private Chain existing(String name) {
    require(name != null, "no chain given");
    Chain chain = table.chains.get(name);
    require(chain != null, "Chain '" + name + "' does not exist");
    return chain;
  }

  private void append(Chain chain, List<String> rest) {
    state.insert(table, chain, chain.rules.size(), rule(rest));
  }

  private void insert(Chain chain, List<String> rest) {
    int position = 1;
    List<String> spec = rest;
    if (!rest.isEmpty() && rest.get(0).matches("\\d+")) {
      position = Integer.parseInt(rest.get(0));
      spec = rest.subList(1, rest.size());
    }
    require(position >= 1 && position <= chain.rules.size() + 1, "Index of insertion too big");
    state.insert(table, chain, position - 1, rule(spec));
  }

  private void delete(Chain chain, List<String> rest) {
    if (rest.size() == 1 && rest.get(0).matches("\\d+")) {
      int index = Integer.parseInt(rest.get(0));
      require(index >= 1 && index <= chain.rules.size(), "Index of deletion too big");
      state.remove(table, chain, index - 1);
      return;
    }
    int found = chain.rules.indexOf(Tokens.join(rest));
    require(found >= 0, "Bad rule (does a matching rule exist in that chain?)");
    state.remove(table, chain, found);
  }

  private void replace(Chain chain, List<String> rest) {
    require(!rest.isEmpty() && rest.get(0).matches("\\d+"), "-R needs a rule number");
    int index = Integer.parseInt(rest.get(0));
    require(index >= 1 && index <= chain.rules.size(), "Index of replacement too big");
    String rule = rule(rest.subList(1, rest.size()));
    state.remove(table, chain, index - 1);
    state.insert(table, chain, index - 1, rule);
  }

  private void newChain(String name) {
    require(name != null, "no chain given");
    require(!table.chains.containsKey(name), "Chain already exists");
    checkChainName(name);
    state.newChain(table, name);
  }

  private void flush(String name) {
    if (name == null) {
      table.chains.values().forEach(c -> state.flush(table, c));
    } else {
      state.flush(table, existing(name));
    }
  }

  private void deleteChains(String name) {
    List<String> doomed = new ArrayList<>();
    if (name == null) {
      table.chains.forEach(
          (n, c) -> {
            if (!c.builtin()) doomed.add(n);
          });
    } else {
      require(!existing(name).builtin(), "Can't delete built-in chain " + name);
      doomed.add(name);
    }
    for (String victim : doomed) {
      require(table.chains.get(victim).rules.isEmpty(), "Directory not empty: chain " + victim);
    }
    // the doomed chains are empty, so every jump to one comes from a chain that stays
    for (String victim : doomed) {
      require(
          IptablesState.jumpsTo(table, victim) == 0,
          "Device or resource busy: chain " + victim + " in use");
    }
    doomed.forEach(victim -> state.deleteChain(table, victim));
  }

  /** Validates a rule spec against the staged state and returns its normalized text. */
  private String rule(List<String> spec) {
    require(!spec.isEmpty(), "empty rule");
    String target = target(spec);
    if (target != null && !TARGETS.contains(target)) {
      Chain jumped = table.chains.get(target);
      require(jumped != null, "Chain '" + target + "' does not exist");
      require(!jumped.builtin(), "cannot jump to built-in chain " + target);
    }
    for (int i = 0; i < spec.size(); i++) {
      if (spec.get(i).equals("--match-set")) {
        require(i + 1 < spec.size(), "--match-set needs a set name");
        String set = spec.get(i + 1);
        Optional<IpFamily> found = setFamily.apply(set);
        require(found.isPresent(), "Set " + set + " doesn't exist.");
        require(
            found.get() == family,
            "The protocol family of set " + set + " is not applicable to " + family);
      }
    }
    return Tokens.join(spec);
  }

  /** The {@code -j}/{@code -g} target of a rule spec, or null. */
  static String target(List<String> spec) {
    for (int i = 0; i + 1 < spec.size(); i++) {
      String t = spec.get(i);
      if (t.equals("-j") || t.equals("--jump") || t.equals("-g") || t.equals("--goto")) {
        return spec.get(i + 1);
      }
    }
    return null;
  }

  private static void checkChainName(String name) {
    require(
        name.length() <= MAX_CHAIN_NAME,
        "chain name `" + name + "' too long (must be under " + (MAX_CHAIN_NAME + 1) + " chars)");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
