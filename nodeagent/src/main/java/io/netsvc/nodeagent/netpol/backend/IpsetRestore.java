package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.IpsetState.IpSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Applies an {@code ipset -exist restore} script to an {@link IpsetState}, checking what the kernel
 * checks: commands name existing sets, members match the set's family, swapped sets are of one
 * kind, a set matched by an iptables rule cannot be destroyed. It changes the state as it goes; the
 * caller commits the state when no error was thrown and rolls it back otherwise.
 */
final class IpsetRestore {
  private final IpsetState state;
  private final Predicate<String> inUse;

  private IpsetRestore(IpsetState state, Predicate<String> inUse) {
    this.state = state;
    this.inUse = inUse;
  }

  /**
   * Applies {@code script} to {@code state} in place.
   *
   * @param inUse whether some iptables rule matches on the named set
   * @throws IllegalArgumentException with the tool-like message naming the line
   */
  static void apply(IpsetState state, String script, Predicate<String> inUse) {
    IpsetRestore restore = new IpsetRestore(state, inUse);
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String raw = lines[i].strip();
      if (raw.isEmpty() || raw.startsWith("#") || raw.equals("COMMIT")) {
        continue;
      }
      List<String> tokens = new ArrayList<>(Tokens.split(raw));
      tokens.removeIf(t -> t.equals("-exist") || t.equals("-!"));
      try {
        restore.command(tokens);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Error in line " + (i + 1) + ": " + e.getMessage());
      }
    }
  }

  private void command(List<String> t) {
    String op = t.get(0);
    String name = t.size() > 1 ? t.get(1) : null;
    switch (op) {
      case "create", "-N", "n" -> create(t);
      case "add", "-A", "a" -> add(present(name), t);
      case "del", "-D", "d" -> {
        require(t.size() > 2, "Missing mandatory argument: element");
        state.delete(present(name), t.get(2));
      }
      case "flush", "-F" -> {
        if (name == null) {
          state.names().forEach(n -> state.flush(state.get(n)));
        } else {
          state.flush(present(name));
        }
      }
      case "destroy", "x", "-X" -> destroy(name);
      case "swap", "-W", "w" -> swap(name, t.size() > 2 ? t.get(2) : null);
      case "rename", "-E", "e" -> rename(name, t.size() > 2 ? t.get(2) : null);
      default -> throw new IllegalArgumentException("Unknown command " + op);
    }
  }

  private void create(List<String> t) {
    require(t.size() > 2, "Missing mandatory argument: typename");
    String name = t.get(1);
    require(name.length() <= 31, "Syntax error: setname '" + name + "' is longer than 31 chars");
    IpFamily family = IpFamily.IPV4;
    List<String> options = new ArrayList<>();
    for (int i = 3; i < t.size(); i++) {
      if (t.get(i).equals("family") && i + 1 < t.size()) {
        family = t.get(++i).equals("inet6") ? IpFamily.IPV6 : IpFamily.IPV4;
      } else {
        options.add(t.get(i));
      }
    }
    IpSet created = new IpSet(t.get(2), family, options);
    IpSet existing = state.get(name);
    if (existing == null) {
      state.create(name, created);
    } else {
      // -exist: creating an identical set again is a no-op, a different one an error
      require(
          existing.sameKind(created),
          "Set cannot be created: set with the same name already exists");
    }
  }

  private void add(IpSet set, List<String> t) {
    require(t.size() > 2, "Missing mandatory argument: element");
    String element = t.get(2);
    boolean v6 = element.contains(":");
    if (set.type.startsWith("hash:ip") || set.type.startsWith("hash:net")) {
      require(
          v6 == (set.family == IpFamily.IPV6),
          "Syntax error: cannot parse "
              + element
              + ": resolving to "
              + set.family.kubernetesName()
              + " address failed");
    }
    // -exist: adding an element again replaces its options (timeout, nomatch, …)
    // an entry without options is its element: one String kept, not two (a simulated kernel per
    // node holds the members of every policy on the node: hundreds of thousands in one sim)
    String entry = Tokens.join(t.subList(2, t.size()));
    state.add(set, element, entry.equals(element) ? element : entry);
  }

  private void destroy(String name) {
    List<String> doomed = name == null ? state.names() : List.of(name);
    for (String victim : doomed) {
      present(victim);
      require(
          !inUse.test(victim),
          "Set cannot be destroyed: it is in use by a kernel component (" + victim + ")");
    }
    doomed.forEach(state::destroy);
  }

  private void swap(String from, String to) {
    IpSet a = present(from);
    IpSet b = present(to);
    require(a.sameKind(b), "The sets cannot be swapped: their type does not match");
    state.swap(from, to);
  }

  private void rename(String from, String to) {
    present(from);
    require(to != null, "Missing second setname");
    require(!inUse.test(from), "Set cannot be renamed: it is in use by a kernel component");
    require(state.get(to) == null, "Set cannot be created: set with the same name already exists");
    state.rename(from, to);
  }

  /** The named set, which must exist. */
  private IpSet present(String name) {
    require(name != null, "Missing mandatory argument: setname");
    IpSet set = state.get(name);
    require(set != null, "The set with the given name does not exist");
    return set;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
