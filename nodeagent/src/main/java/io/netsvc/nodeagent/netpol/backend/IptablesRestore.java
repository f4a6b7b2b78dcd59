package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.IptablesState.Chain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies {@code iptables-restore --noflush} text to an {@link IptablesState}, checking what the
 * kernel checks: a jump needs an existing chain or a known target, a set match needs an existing
 * set of the right family, a chain in use or not empty cannot be deleted, chain names fit in 28
 * characters. The caller applies to a copy and keeps it only when no error was thrown, so a
 * rejected text changes nothing, as with the nf_tables tool.
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
  private Map<String, Chain> table;
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
    Chain chain = table.get(name);
    if (chain != null && chain.builtin()) {
      require(policy.equals("ACCEPT") || policy.equals("DROP"), "Bad policy " + policy);
      chain.policy = policy;
      return;
    }
    require(policy.equals("-"), "Can't set policy `" + policy + "' on `" + name + "'");
    checkChainName(name);
    if (chain == null) {
      table.put(name, new Chain("-", new ArrayList<>()));
    } else {
      chain.rules.clear();
    }
  }

  private void command(List<String> tokens) {
    String op = tokens.get(0);
    String name = tokens.size() > 1 ? tokens.get(1) : null;
    List<String> rest = tokens.size() > 2 ? tokens.subList(2, tokens.size()) : List.of();
    switch (op) {
      case "-A", "--append" -> existing(name).rules.add(rule(rest));
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
    chain.policy = policy;
  }

  private Chain existing(String name) {
    require(name != null, "no chain given");
    Chain chain = table.get(name);
    require(chain != null, "Chain '" + name + "' does not exist");
    return chain;
  }

  private void insert(Chain chain, List<String> rest) {
    int position = 1;
    List<String> spec = rest;
    if (!rest.isEmpty() && rest.get(0).matches("\\d+")) {
      position = Integer.parseInt(rest.get(0));
      spec = rest.subList(1, rest.size());
    }
    require(position >= 1 && position <= chain.rules.size() + 1, "Index of insertion too big");
    chain.rules.add(position - 1, rule(spec));
  }

  private void delete(Chain chain, List<String> rest) {
    if (rest.size() == 1 && rest.get(0).matches("\\d+")) {
      int index = Integer.parseInt(rest.get(0));
      require(index >= 1 && index <= chain.rules.size(), "Index of deletion too big");
      chain.rules.remove(index - 1);
      return;
    }
    require(
        chain.rules.remove(Tokens.join(rest)),
        "Bad rule (does a matching rule exist in that chain?)");
  }

  private void replace(Chain chain, List<String> rest) {
    require(!rest.isEmpty() && rest.get(0).matches("\\d+"), "-R needs a rule number");
    int index = Integer.parseInt(rest.get(0));
    require(index >= 1 && index <= chain.rules.size(), "Index of replacement too big");
    chain.rules.set(index - 1, rule(rest.subList(1, rest.size())));
  }

  private void newChain(String name) {
    require(name != null, "no chain given");
    require(!table.containsKey(name), "Chain already exists");
    checkChainName(name);
    table.put(name, new Chain("-", new ArrayList<>()));
  }

  private void flush(String name) {
    if (name == null) {
      table.values().forEach(c -> c.rules.clear());
    } else {
      existing(name).rules.clear();
    }
  }

  private void deleteChains(String name) {
    List<String> doomed = new ArrayList<>();
    if (name == null) {
      table.forEach(
          (n, c) -> {
            if (!c.builtin()) doomed.add(n);
          });
    } else {
      require(!existing(name).builtin(), "Can't delete built-in chain " + name);
      doomed.add(name);
    }
    for (String victim : doomed) {
      require(table.get(victim).rules.isEmpty(), "Directory not empty: chain " + victim);
    }
    for (Map.Entry<String, Chain> entry : table.entrySet()) {
      if (doomed.contains(entry.getKey())) {
        continue;
      }
      for (String rule : entry.getValue().rules) {
        String target = target(Tokens.split(rule));
        require(!doomed.contains(target), "Device or resource busy: chain " + target + " in use");
      }
    }
    doomed.forEach(table::remove);
  }

  /** Validates a rule spec against the staged state and returns its normalized text. */
  private String rule(List<String> spec) {
    require(!spec.isEmpty(), "empty rule");
    String target = target(spec);
    if (target != null && !TARGETS.contains(target)) {
      require(table.containsKey(target), "Chain '" + target + "' does not exist");
      require(!table.get(target).builtin(), "cannot jump to built-in chain " + target);
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
