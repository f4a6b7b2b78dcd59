package io.netsvc.actors.netpol.model;

import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Validates and normalises one {@code ipBlock}. Every outcome keeps the spec's meaning ("cidr minus
 * except") exactly: an except that covers the whole cidr leaves a peer that allows nothing, an
 * except outside the cidr or of the other family excludes nothing and is dropped, an except nested
 * in another is redundant. Only text we cannot read fails closed (the peer allows nothing).
 */
final class IpBlocks {
  private IpBlocks() {}

  /** The normalised peer, or null when it can match nothing; problems are appended. */
  static CidrPeer compile(int peer, IpBlock b, String where, List<String> problems) {
    Cidr cidr = cidr(b.cidr());
    if (cidr == null) {
      problems.add(where + ": invalid ipBlock cidr \"" + b.cidr() + "\"");
      return null;
    }
    List<Cidr> except = new ArrayList<>();
    for (String e : b.except()) {
      Cidr x = cidr(e);
      if (x == null) {
        problems.add(where + ": invalid except \"" + e + "\", the peer allows nothing");
        return null;
      }
      if (x.family() != cidr.family()) {
        problems.add(where + ": except " + e + " is not of the cidr's family, ignored");
      } else if (x.contains(cidr)) {
        problems.add(where + ": except " + e + " covers the whole cidr, the peer allows nothing");
        return null;
      } else if (!cidr.contains(x)) {
        problems.add(where + ": except " + e + " lies outside the cidr, ignored");
      } else {
        except.add(x);
      }
    }
    TreeSet<String> kept = new TreeSet<>();
    for (Cidr x : except) {
      boolean nested = except.stream().anyMatch(y -> !y.equals(x) && y.contains(x));
      if (!nested) kept.add(x.toString());
    }
    return new CidrPeer(peer, cidr.family(), cidr.toString(), List.copyOf(kept));
  }

  /** Whether the address lies in the peer's cidr and in none of its excepts. */
  static boolean covers(CidrPeer p, String ip) {
    IpAddress a = IpAddress.parse(ip, Syntax.KUBERNETES).orElse(null);
    Cidr c = cidr(p.cidr());
    if (a == null || c == null || !c.contains(a)) return false;
    for (String e : p.except()) {
      Cidr x = cidr(e);
      if (x != null && x.contains(a)) return false;
    }
    return true;
  }

  /**
   * An ipBlock CIDR as the API server validated it and kube-router classifies it ({@code
   * ParseCIDRSloppy}); blanks around it are forgiven. Null when it is not one.
   */
  private static Cidr cidr(String text) {
    return text == null ? null : Cidr.parse(text.trim(), Syntax.KUBERNETES).orElse(null);
  }
}
