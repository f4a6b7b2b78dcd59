package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.nodeagent.netpol.model.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ipsets of one (simulated) network namespace, in creation order, with their members. */
final class IpsetState {

  /** One set; {@code options} are the create options after the type, {@code family} removed. */
  static final class IpSet {
    final String type;
    final Family family;
    final List<String> options;
    final Map<String, String> members;

    IpSet(String type, Family family, List<String> options, Map<String, String> members) {
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

  IpsetState copy() {
    IpsetState copy = new IpsetState();
    sets.forEach((name, set) -> copy.sets.put(name, set.copy()));
    return copy;
  }

  Optional<Family> familyOf(String name) {
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
