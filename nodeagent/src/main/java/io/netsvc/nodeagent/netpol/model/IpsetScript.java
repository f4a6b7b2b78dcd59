package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The two {@code ipset -exist restore} scripts around one iptables restore. <b>Before</b>: every
 * set the new rules reference exists; new sets are filled through a temporary set and {@code swap}
 * (atomic, and exact even if a stale set of that name survived a restart); a changed set gets
 * {@code del}/{@code add} lines when that is shorter than a rebuild. <b>After</b>: sets no rule
 * references any more are destroyed (the kernel refuses while a rule uses them), and the local-pods
 * set gains its new members only now, once their pod chains exist (D1: a pod is let through the
 * tail chain only when its own chain judges it); its removals happen before.
 */
final class IpsetScript {
  private IpsetScript() {}

  record Scripts(String before, String after, int lines) {}

  /**
   * @param applied every set of both families now (names are unique across families)
   * @param wanted every set of both families wanted
   * @param late sets whose additions must wait until the iptables restore is done: the local-pods
   *     sets of families whose tail chain already enforces (when the tail is new, the whole restore
   *     is atomic, and filling the set before it avoids rejecting running pods)
   */
  static Scripts plan(
      Map<String, Ruleset.IpSet> applied, Map<String, Ruleset.IpSet> wanted, Set<String> late) {
    Script before = new Script();
    Script after = new Script();
    for (Map.Entry<String, Ruleset.IpSet> e : new TreeMap<>(wanted).entrySet()) {
      String name = e.getKey();
      Ruleset.IpSet w = e.getValue();
      Ruleset.IpSet a = applied.get(name);
      boolean isLate = late.contains(name);
      if (a == null || !a.sameKind(w)) {
        if (isLate) {
          before.lines.add("create " + name + " " + w.type() + " " + w.options());
          after.swapIn(name, w);
        } else {
          before.swapIn(name, w);
        }
        continue;
      }
      if (a.members().equals(w.members())) continue;
      List<String> removed = new ArrayList<>();
      List<String> added = new ArrayList<>();
      difference(a.members(), w.members(), removed, added);
      boolean rebuild = removed.size() + added.size() > w.members().size() + 4;
      if (rebuild && !isLate) {
        before.swapIn(name, w);
      } else if (rebuild) {
        before.dels(name, removed);
        after.swapIn(name, w);
      } else {
        before.dels(name, removed);
        (isLate ? after : before).adds(name, w, added);
      }
    }
    for (String name : new TreeSet<>(applied.keySet())) {
      if (!wanted.containsKey(name)) after.lines.add("destroy " + name);
    }
    String b = before.text();
    String a = after.text();
    return new Scripts(b, a, before.lines.size() + after.lines.size());
  }

  /**
   * One pass over two sorted, unique member lists: what only {@code a} holds goes to {@code onlyA},
   * what only {@code b} holds to {@code onlyB}, both in order.
   */
  static void difference(List<String> a, List<String> b, List<String> onlyA, List<String> onlyB) {
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int c = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).compareTo(b.get(j));
      if (c < 0) onlyA.add(a.get(i++));
      else if (c > 0) onlyB.add(b.get(j++));
      else {
        i++;
        j++;
      }
    }
  }

  /** One script: its lines and the temporary sets it used (destroyed at its end). */
  private static final class Script {
    final List<String> lines = new ArrayList<>();
    final Set<String> tmps = new LinkedHashSet<>();

    void swapIn(String name, Ruleset.IpSet s) {
      String kind = s.type() + " " + s.options();
      String tmp = KubeRouterNames.tmpSet(kind);
      if (tmps.add(tmp)) {
        lines.add("create " + tmp + " " + kind);
        lines.add("flush " + tmp);
      }
      for (String m : s.members()) lines.add(add(tmp, s, m));
      lines.add("create " + name + " " + kind);
      lines.add("swap " + tmp + " " + name);
      lines.add("flush " + tmp);
    }

    void dels(String name, List<String> members) {
      for (String m : members) lines.add("del " + name + " " + entry(m));
    }

    void adds(String name, Ruleset.IpSet s, List<String> members) {
      for (String m : members) lines.add(add(name, s, m));
    }

    String text() {
      if (lines.isEmpty()) return "";
      StringBuilder sb = new StringBuilder();
      lines.forEach(l -> sb.append(l).append('\n'));
      tmps.forEach(t -> sb.append("destroy ").append(t).append('\n'));
      return sb.toString();
    }
  }

  /** {@code add <set> <entry> [timeout 0] [nomatch]}, as kube-router writes entries. */
  static String add(String set, Ruleset.IpSet s, String member) {
    String timeout = s.options().contains("timeout") ? " timeout 0" : "";
    String nomatch = member.endsWith(" nomatch") ? " nomatch" : "";
    return "add " + set + " " + entry(member) + timeout + nomatch;
  }

  /** The address or network of a member, without its flags. */
  static String entry(String member) {
    int sp = member.indexOf(' ');
    return sp < 0 ? member : member.substring(0, sp);
  }
}
