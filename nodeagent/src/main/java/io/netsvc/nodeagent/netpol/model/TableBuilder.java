package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.CidrPeer;
import io.netsvc.config.ip.Cidr;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.config.ip.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the chains and sets of one family while the renderers write them. */
final class TableBuilder {
  static final String HASH_IP = "hash:ip";
  static final String HASH_NET = "hash:net";

  final IpFamily family;
  private final Map<String, List<String>> chains = new LinkedHashMap<>();
  private final Map<String, Ruleset.IpSet> sets = new LinkedHashMap<>();

  TableBuilder(IpFamily family) {
    this.family = family;
  }

  /** The rule list of {@code name}, created empty on first use (an empty chain still exists). */
  List<String> chain(String name) {
    return chains.computeIfAbsent(name, k -> new ArrayList<>());
  }

  /** Declares a set; kube-router's options, so a set it left behind can be taken over. */
  void set(String name, String type, Collection<String> members) {
    sets.put(name, new Ruleset.IpSet(type, options(family), List.copyOf(members)));
  }

  /** {@code timeout 0}, plus {@code family inet6} for IPv6 (kube-router's option string). */
  static String options(IpFamily f) {
    return f == IpFamily.IPV6 ? "timeout 0 family inet6" : "timeout 0";
  }

  /** Adds what another builder collected (a policy's chains and sets, from the cache). */
  void merge(Ruleset.Table other) {
    other.chains().forEach((name, rules) -> chain(name).addAll(rules));
    sets.putAll(other.sets());
  }

  Ruleset.Table build() {
    return new Ruleset.Table(chains, sets);
  }

  /**
   * The hash:net entries of one ipBlock peer: its cidr, and its excepts flagged {@code nomatch}
   * (the longest matching prefix decides, so an except wins inside its cidr only). A {@code /0}
   * becomes its two halves, since hash:net cannot hold it; an except equal to a half removes it.
   */
  static List<String> cidrMembers(CidrPeer peer) {
    Cidr cidr = Cidr.parseOrThrow(peer.cidr(), Syntax.KUBERNETES);
    List<Cidr> positive = new ArrayList<>(cidr.isAll() ? cidr.halves() : List.of(cidr));
    List<Cidr> except = new ArrayList<>();
    for (String e : peer.except()) except.add(Cidr.parseOrThrow(e, Syntax.KUBERNETES));
    except.removeIf(positive::remove); // an except equal to a half: neither entry remains
    List<String> out = new ArrayList<>();
    positive.forEach(p -> out.add(p.ipsetText()));
    for (Cidr x : except) {
      if (positive.stream().anyMatch(p -> p.contains(x))) out.add(x.ipsetText() + " nomatch");
    }
    return out;
  }
}
