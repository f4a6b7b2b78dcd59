package io.netsvc.nodeagent.netpol.model;

import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks one packet of a new connection through a rendered table the way netfilter's filter hooks
 * would, for the matches and targets netsvc writes. Built-in chains end in policy ACCEPT (as on
 * most hosts); the verdict is what the packet would meet.
 */
final class PacketSim {
  enum Verdict {
    ACCEPT,
    REJECT,
    DROP
  }

  /** A packet; {@code port} is the destination port (the ICMP type number for icmp). */
  record Packet(String src, String dst, String proto, String port) {
    static Packet tcp(String src, String dst, int port) {
      return new Packet(src, dst, "tcp", String.valueOf(port));
    }
  }

  private final Ruleset.Table table;
  private final Set<String> local;
  private int mark;

  /**
   * @param local the node's own addresses (addrtype LOCAL)
   */
  PacketSim(Ruleset.Table table, Set<String> local) {
    this.table = table;
    this.local = local;
  }

  /** The verdict of {@code hook} (INPUT, FORWARD or OUTPUT). */
  Verdict run(String hook, Packet p) {
    mark = 0;
    Verdict v = chain(hook, p, 0);
    return v == null ? Verdict.ACCEPT : v;
  }

  private Verdict chain(String name, Packet p, int depth) {
    if (depth > 10) throw new AssertionError("jump loop at " + name);
    List<String> rules = table.chains().get(name);
    if (rules == null) throw new AssertionError("no chain " + name);
    for (String rule : rules) {
      List<String> t = Kernel.Tok.split(rule);
      int j = t.indexOf("-j");
      if (!matches(t.subList(0, j), p)) continue;
      String target = t.get(j + 1);
      switch (target) {
        case "ACCEPT" -> {
          return Verdict.ACCEPT;
        }
        case "DROP" -> {
          return Verdict.DROP;
        }
        case "REJECT" -> {
          return Verdict.REJECT;
        }
        case "RETURN" -> {
          return null;
        }
        case "NFLOG" -> {}
        case "MARK" -> {
          String[] vm = t.get(j + 3).split("/");
          int v = Integer.decode(vm[0]);
          int m = Integer.decode(vm[1]);
          mark = (mark & ~m) ^ v;
        }
        default -> {
          Verdict v = chain(target, p, depth + 1);
          if (v != null) return v;
        }
      }
    }
    return null;
  }

  private boolean matches(List<String> t, Packet p) {
    boolean neg = false;
    for (int i = 0; i < t.size(); i++) {
      String tok = t.get(i);
      boolean ok;
      switch (tok) {
        case "!" -> {
          neg = true;
          continue;
        }
        case "-m", "--comment", "--limit", "--limit-burst" -> {
          i++;
          continue;
        }
        case "-s" -> ok = in(t.get(++i), p.src());
        case "-d" -> ok = in(t.get(++i), p.dst());
        case "-p" -> ok = t.get(++i).equals(p.proto());
        case "--dport", "--dports", "--icmp-type", "--icmpv6-type" ->
            ok = port(t.get(++i), p.port());
        case "--match-set" -> {
          String set = t.get(++i);
          ok = member(set, t.get(++i).equals("src") ? p.src() : p.dst());
        }
        case "--mark" -> {
          String[] vm = t.get(++i).split("/");
          ok = (mark & Integer.decode(vm[1])) == Integer.decode(vm[0]);
        }
        case "--src-type" -> ok = t.get(++i).equals("LOCAL") && local.contains(p.src());
        case "--dst-type" -> ok = t.get(++i).equals("LOCAL") && local.contains(p.dst());
        case "--ctstate" -> ok = t.get(++i).contains("NEW"); // every packet here opens a flow
        default -> throw new AssertionError("unsupported match " + tok + " in " + t);
      }
      if (ok == neg) return false;
      neg = false;
    }
    return true;
  }

  private static boolean in(String cidr, String ip) {
    return Cidr.parseOrThrow(cidr, Syntax.KUBERNETES).contains(address(ip));
  }

  private static IpAddress address(String ip) {
    return IpAddress.parse(ip, Syntax.KUBERNETES)
        .orElseThrow(() -> new AssertionError("not an address: " + ip));
  }

  private static boolean port(String spec, String port) {
    if (!spec.matches("[0-9:]+")) return spec.equals(port);
    if (!port.matches("[0-9]+")) return false;
    String[] r = spec.split(":");
    int n = Integer.parseInt(port);
    return n >= Integer.parseInt(r[0]) && n <= Integer.parseInt(r[r.length - 1]);
  }

  /** hash:ip by equality; hash:net by the longest matching prefix, which loses if nomatch. */
  private boolean member(String set, String ip) {
    Ruleset.IpSet s = table.sets().get(set);
    if (s == null) throw new AssertionError("no set " + set);
    IpAddress a = address(ip);
    String canonical = a.toString();
    int best = -1;
    boolean bestMatch = false;
    for (String m : s.members()) {
      String entry = IpsetScript.entry(m);
      Cidr c =
          entry.contains("/")
              ? Cidr.parseOrThrow(entry, Syntax.KUBERNETES)
              : Cidr.host(address(entry));
      if (s.type().equals("hash:ip") && entry.equals(canonical)) return true;
      if (s.type().equals("hash:net") && c.contains(a) && c.prefix() > best) {
        best = c.prefix();
        bestMatch = !m.endsWith(" nomatch");
      }
    }
    return bestMatch;
  }

  /**
   * A two-node verdict: the packet must pass the source's node (if local there) and the target's.
   */
  static Verdict path(Map<String, PacketSim> nodes, String fromNode, String toNode, Packet p) {
    Verdict out = nodes.get(fromNode).run("FORWARD", p);
    if (out != Verdict.ACCEPT || fromNode.equals(toNode)) return out;
    return nodes.get(toNode).run("FORWARD", p);
  }
}
