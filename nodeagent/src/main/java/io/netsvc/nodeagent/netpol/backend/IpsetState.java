package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ipsets of one (simulated) network namespace with their members. Every change goes through a
 * method here that records its undo step, so a script can be rolled back. Sets and members carry
 * the sequence number of their creation and are saved in that order; an undone destroy or delete
 * puts the entry back with its old number, so a rolled-back script leaves even the order as it was.
 */
final class IpsetState {

  /** One set; {@code options} are the create options after the type, {@code family} removed. */
  static final class IpSet {
    final String type;
    final IpFamily family;
    final List<String> options;
    Map<String, Member> members = new HashMap<>();

    IpSet(String type, IpFamily family, List<String> options) {
      this.type = type;
      this.family = family;
      this.options = options;
    }

    /** What the kernel compares when a set is created again with {@code -exist} or swapped. */
    boolean sameKind(IpSet other) {
      return type.equals(other.type)
          && family == other.family
          && options.contains("timeout") == other.options.contains("timeout");
    }
  }

  /** A member: its entry as added (element and options), and when it was first added. */
  record Member(long seq, String entry) {}

  /** A set under its name; the position stays with the name across swaps, as the tool shows. */
  private record Slot(long seq, IpSet set) {}

  private final Map<String, Slot> sets = new HashMap<>();
  private final Journal journal = new Journal();
  private long next;

  /** Keeps the changes of the script just applied. */
  void commit() {
    journal.commit();
  }

  /** Puts back the state as it was at the last commit. */
  void rollback() {
    journal.rollback();
  }

  /** The named set, or null. */
  IpSet get(String name) {
    Slot slot = sets.get(name);
    return slot == null ? null : slot.set;
  }

  /** Every set name in creation order. */
  List<String> names() {
    List<Map.Entry<String, Slot>> slots = new ArrayList<>(sets.entrySet());
    slots.sort(Comparator.comparingLong(e -> e.getValue().seq));
    return slots.stream().map(Map.Entry::getKey).toList();
  }

  Optional<IpFamily> familyOf(String name) {
    return Optional.ofNullable(get(name)).map(s -> s.family);
  }

  void create(String name, IpSet set) {
    sets.put(name, new Slot(next++, set));
    journal.record(() -> sets.remove(name));
  }

  void destroy(String name) {
    Slot gone = sets.remove(name);
    journal.record(() -> sets.put(name, gone));
  }

  void swap(String a, String b) {
    Slot slotA = sets.get(a);
    Slot slotB = sets.get(b);
    sets.put(a, new Slot(slotA.seq, slotB.set));
    sets.put(b, new Slot(slotB.seq, slotA.set));
    journal.record(
        () -> {
          sets.put(a, slotA);
          sets.put(b, slotB);
        });
  }

  void rename(String from, String to) {
    Slot slot = sets.remove(from);
    sets.put(to, slot);
    journal.record(
        () -> {
          sets.remove(to);
          sets.put(from, slot);
        });
  }

  /**
   * Adds a member, or (as {@code -exist} does) replaces its options where it stands. The strings
   * are interned: the same pod IP is a member of many sets (and, in the sim, of many nodes' sets),
   * and each came parsed from a script as a string of its own.
   */
  void add(IpSet set, String rawElement, String rawEntry) {
    String element = rawElement.intern();
    String entry = rawEntry.equals(rawElement) ? element : rawEntry.intern();
    Member old = set.members.get(element);
    set.members.put(element, new Member(old == null ? next++ : old.seq, entry));
    journal.record(
        () -> {
          if (old == null) set.members.remove(element);
          else set.members.put(element, old);
        });
  }

  void delete(IpSet set, String element) {
    Member old = set.members.remove(element);
    if (old != null) journal.record(() -> set.members.put(element, old));
  }

  /** Empties a set: the old members are kept aside whole, not copied, for the undo. */
  void flush(IpSet set) {
    Map<String, Member> old = set.members;
    if (old.isEmpty()) return;
    set.members = new HashMap<>();
    journal.record(() -> set.members = old);
  }

  /** Every set's member count. */
  Map<String, Integer> sizes() {
    Map<String, Integer> out = new HashMap<>();
    sets.forEach((name, slot) -> out.put(name, slot.set.members.size()));
    return out;
  }

  /** {@code ipset save} text: a create line per set, then its members, in the tool's syntax. */
  String save() {
    StringBuilder out = new StringBuilder();
    for (String name : names()) {
      IpSet set = get(name);
      List<String> create = new ArrayList<>(List.of("create", name, set.type));
      if (set.type.startsWith("hash:")) {
        create.addAll(List.of("family", set.family.ipsetFamily()));
      }
      create.addAll(set.options);
      out.append(Tokens.join(create)).append('\n');
      set.members.values().stream()
          .sorted(Comparator.comparingLong(Member::seq))
          .forEach(m -> out.append("add ").append(name).append(' ').append(m.entry).append('\n'));
    }
    return out.toString();
  }
}
