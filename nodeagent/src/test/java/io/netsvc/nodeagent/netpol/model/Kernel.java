package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict stand-in for the kernel tools, for plan tests: applies {@code iptables-restore
 * --noflush} texts (atomically, checking that jumps and set matches resolve, {@code -D} finds its
 * rule, {@code -X} hits an empty unreferenced chain) and {@code ipset -exist restore} scripts
 * (checking that sets exist, swaps are of one kind, a set in use is not destroyed). Built-in chains
 * may hold foreign rules (kube-proxy's), which must survive.
 */
final class Kernel {
  static final List<String> BUILTINS = List.of("INPUT", "FORWARD", "OUTPUT");

  record IpSetState(String type, String options, Map<String, String> members) {}

  final Map<IpFamily, Map<String, List<String>>> tables = new EnumMap<>(IpFamily.class);
  final Map<String, IpSetState> sets = new TreeMap<>();

  Kernel() {
    for (IpFamily f : IpFamily.values()) {
      Map<String, List<String>> t = new LinkedHashMap<>();
      BUILTINS.forEach(b -> t.put(b, new ArrayList<>()));
      tables.put(f, t);
    }
  }

  void apply(RestorePlan p) {
    ipset(p.ipsetBefore());
    for (IpFamily f : IpFamily.values()) restore(f, p.iptables(f));
    ipset(p.ipsetAfter());
  }

  void restore(IpFamily f, String text) {
    Map<String, List<String>> t = new LinkedHashMap<>();
    tables.get(f).forEach((k, v) -> t.put(k, new ArrayList<>(v)));
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.equals("*filter") || line.equals("COMMIT")) continue;
      List<String> tok = Tok.split(line);
      if (line.startsWith(":")) {
        String name = line.substring(1, line.indexOf(' '));
        check(name.length() <= 28, "chain name too long: " + name);
        check(!BUILTINS.contains(name), "declares a built-in chain: " + line);
        t.computeIfAbsent(name, k -> new ArrayList<>()).clear();
        continue;
      }
      String op = tok.get(0);
      String chain = tok.get(1);
      List<String> rules = t.get(chain);
      check(rules != null, "no chain " + chain + ": " + line);
      int head = op.length() + chain.length() + 2;
      String rest = line.length() > head ? line.substring(head) : "";
      switch (op) {
        case "-A" -> rules.add(spec(f, t, rest));
        case "-I" -> {
          int pos = Integer.parseInt(tok.get(2));
          check(pos >= 1 && pos <= rules.size() + 1, "bad position: " + line);
          rules.add(pos - 1, spec(f, t, rest.substring(tok.get(2).length() + 1)));
        }
        case "-D" -> check(rules.remove(rest), "no such rule: " + line);
        case "-F" -> rules.clear();
        case "-X" -> {
          check(rules.isEmpty(), "-X of a non-empty chain: " + line);
          check(!BUILTINS.contains(chain), "-X of a built-in: " + line);
          for (List<String> other : t.values()) {
            for (String r : other) check(!chain.equals(target(r)), "-X of a chain in use: " + line);
          }
          t.remove(chain);
        }
        default -> throw new AssertionError("unknown command: " + line);
      }
    }
    tables.put(f, t); // one transaction: nothing changes when a line fails
  }

  private String spec(IpFamily f, Map<String, List<String>> t, String rule) {
    List<String> tok = Tok.split(rule);
    String target = target(rule);
    check(target != null, "rule without target: " + rule);
    boolean known = List.of("ACCEPT", "DROP", "RETURN", "REJECT", "MARK", "NFLOG").contains(target);
    check(known || t.containsKey(target) && !BUILTINS.contains(target), "bad target " + target);
    for (int i = 0; i < tok.size(); i++) {
      if (!tok.get(i).equals("--match-set")) continue;
      String set = tok.get(i + 1);
      check(sets.containsKey(set), "set " + set + " does not exist");
      check(set.startsWith("inet6:") == (f == IpFamily.IPV6), "set of the wrong family: " + set);
    }
    return rule;
  }

  static String target(String rule) {
    List<String> tok = Tok.split(rule);
    int j = tok.indexOf("-j");
    return j < 0 ? null : tok.get(j + 1);
  }

  void ipset(String script) {
    for (String line : script.split("\n")) {
      if (line.isEmpty()) continue;
      List<String> t = Tok.split(line);
      String name = t.get(1);
      IpSetState s = sets.get(name);
      switch (t.get(0)) {
        case "create" -> {
          String options = String.join(" ", t.subList(3, t.size()));
          check(name.length() <= 31, "set name too long: " + name);
          if (s == null) sets.put(name, new IpSetState(t.get(2), options, new TreeMap<>()));
          else check(s.type().equals(t.get(2)) && s.options().equals(options), "kind: " + line);
        }
        case "add" -> {
          check(s != null, "add to a missing set: " + line);
          check(t.get(2).contains(":") == s.options().contains("inet6"), "family: " + line);
          s.members().put(t.get(2), t.contains("nomatch") ? " nomatch" : "");
        }
        case "del" -> {
          check(s != null, "del from a missing set: " + line);
          s.members().remove(t.get(2));
        }
        case "flush" -> s.members().clear();
        case "swap" -> {
          IpSetState b = sets.get(t.get(2));
          check(s != null && b != null, "swap of a missing set: " + line);
          check(
              s.type().equals(b.type()) && s.options().equals(b.options()), "swap kinds: " + line);
          sets.put(name, b);
          sets.put(t.get(2), s);
        }
        case "destroy" -> {
          check(s != null, "destroy of a missing set: " + line);
          for (Map<String, List<String>> tab : tables.values()) {
            for (List<String> rules : tab.values()) {
              for (String r : rules) check(!Tok.split(r).contains(name), "destroy in use: " + line);
            }
          }
          sets.remove(name);
        }
        default -> throw new AssertionError("unknown ipset command: " + line);
      }
    }
  }

  /** Ours, as a Ruleset table: our chains, our rules in built-ins, our sets of the family. */
  Ruleset.Table ours(IpFamily f) {
    Map<String, List<String>> chains = new TreeMap<>();
    tables
        .get(f)
        .forEach(
            (k, v) -> {
              if (k.startsWith("KUBE-ROUTER-")
                  || k.startsWith("KUBE-POD-FW-")
                  || k.startsWith("KUBE-NWPLCY-")) {
                chains.put(k, v);
              }
              if (BUILTINS.contains(k) && v.stream().anyMatch(r -> r.contains("KUBE-ROUTER"))) {
                chains.put(k, v.stream().filter(r -> r.contains("KUBE-ROUTER")).toList());
              }
            });
    Map<String, Ruleset.IpSet> out = new TreeMap<>();
    sets.forEach(
        (n, s) -> {
          if (n.startsWith("TMP-") || n.startsWith("inet6:") != (f == IpFamily.IPV6)) return;
          List<String> members = new ArrayList<>();
          s.members().forEach((m, flag) -> members.add(m + flag));
          out.put(n, new Ruleset.IpSet(s.type(), s.options(), members));
        });
    return new Ruleset.Table(chains, out);
  }

  /** {@code iptables-save -t filter} as the tool prints it. */
  String save(IpFamily f) {
    StringBuilder sb = new StringBuilder("*filter\n");
    tables
        .get(f)
        .forEach(
            (c, rules) ->
                sb.append(':')
                    .append(c)
                    .append(BUILTINS.contains(c) ? " ACCEPT" : " -")
                    .append(" [0:0]\n"));
    tables
        .get(f)
        .forEach(
            (c, rules) ->
                rules.forEach(r -> sb.append("-A ").append(c).append(' ').append(r).append('\n')));
    return sb.append("COMMIT\n").toString();
  }

  /** {@code ipset save}, with the defaults the tool adds. */
  String ipsetSave() {
    StringBuilder sb = new StringBuilder();
    sets.forEach(
        (n, s) -> {
          String family = s.options().contains("inet6") ? "inet6" : "inet";
          String timeout = s.options().contains("timeout") ? " timeout 0" : "";
          sb.append("create ")
              .append(n)
              .append(' ')
              .append(s.type())
              .append(" family ")
              .append(family)
              .append(" hashsize 1024 maxelem 65536")
              .append(timeout)
              .append(" bucketsize 12 initval 0x4f1e2d3c\n");
          s.members()
              .forEach(
                  (m, flag) ->
                      sb.append("add ")
                          .append(n)
                          .append(' ')
                          .append(m)
                          .append(timeout)
                          .append(flag)
                          .append('\n'));
        });
    return sb.toString();
  }

  private static void check(boolean ok, String why) {
    if (!ok) throw new AssertionError(why);
  }

  /** Splits rule text like a shell does (double quotes group). */
  static final class Tok {
    static List<String> split(String s) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = null;
      boolean quoted = false;
      for (char c : s.toCharArray()) {
        if (c == '"') {
          quoted = !quoted;
          if (cur == null) cur = new StringBuilder();
        } else if (c == ' ' && !quoted) {
          if (cur != null) out.add(cur.toString());
          cur = null;
        } else {
          if (cur == null) cur = new StringBuilder();
          cur.append(c);
        }
      }
      if (cur != null) out.add(cur.toString());
      return out;
    }
  }
}
