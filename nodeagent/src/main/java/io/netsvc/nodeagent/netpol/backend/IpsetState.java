package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ipsets of one (simulated) network namespace, in creation order, with their members. */
final class IpsetState {

  /** One set; {@code options} are the create options after the type, {@code family} removed. */
  static final class IpSet {
    final String type;
    final IpFamily family;
    final List<String> options;
    final Map<String, String> members;

    IpSet(String type, IpFamily family, List<String> options, Map<String, String> members) {
      this.type = type;
      this.family = family;
      this.options = options;
      this.members = members;
    }

    IpSet copy() {
      return new IpSet(type, family, new ArrayList<>(options), new LinkedHashMap<>(members));
    }

    /** What the kernel compares when a set is created again with {@code -exist} or swapped. */
    boolean sameKind(IpSet other) {
      return type.equals(other.type)
          && family == other.family
          && options.contains("timeout") == other.options.contains("timeout");
    }
  }

  final Map<String, IpSet> sets = new LinkedHashMap<>();

  /**
   * Sets this state may change in place; the others are shared with the state it was copied from.
   */
  private final Set<IpSet> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * A copy to apply a script to: sets are shared until the script changes one ({@link #writable}),
   * so a small change to a large state costs what it touches, not the whole state.
   */
  IpsetState copy() {
    IpsetState copy = new IpsetState();
    copy.sets.putAll(sets);
    return copy;
  }

  /** A set that was just created here (owned from the start). */
  void created(IpSet set) {
    owned.add(set);
  }

  /** Empties the named set without copying its members first. */
  void emptied(String name) {
    IpSet set = sets.get(name);
    if (set == null) return;
    if (owned.contains(set)) {
      set.members.clear();
      return;
    }
    IpSet empty =
        new IpSet(set.type, set.family, new ArrayList<>(set.options), new LinkedHashMap<>());
    owned.add(empty);
    sets.put(name, empty);
  }

  /** The named set, copied first if it is still shared. */
  IpSet writable(String name) {
    IpSet set = sets.get(name);
    if (set == null || owned.contains(set)) return set;
    IpSet mine = set.copy();
    owned.add(mine);
    sets.put(name, mine);
    return mine;
  }

  Optional<IpFamily> familyOf(String name) {
    return Optional.ofNullable(sets.get(name)).map(s -> s.family);
  }

  /** {@code ipset save} text: a create line per set, then its members, in the tool's syntax. */
  String save() {
    StringBuilder out = new StringBuilder();
    sets.forEach(
        (name, set) -> {
          List<String> create = new ArrayList<>(List.of("create", name, set.type));
          if (set.type.startsWith("hash:")) {
            create.addAll(List.of("family", set.family.ipsetFamily()));
          }
          create.addAll(set.options);
          out.append(Tokens.join(create)).append('\n');
          set.members
              .values()
              .forEach(
                  entry -> out.append("add ").append(name).append(' ').append(entry).append('\n'));
        });
    return out.toString();
  }
}
