package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.COMMON_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.DEFAULT_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.INPUT_CHAIN;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.MARK_ALLOWED;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.MARK_OK;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.TAIL_CHAIN;
import static io.netsvc.nodeagent.netpol.model.RuleText.rule;

import io.netsvc.config.ip.IpFamily;
import java.util.List;
import java.util.Locale;

/**
 * The rules that do not depend on policies: the built-in chains' jump and ACCEPT (K3s fork), the
 * entry chains' head (kube-router's service and node-port RETURNs) and tail, {@code
 * KUBE-NWPLCY-COMMON} (conntrack and the ICMP kube-router always allows, kept on purpose: D3),
 * {@code KUBE-NWPLCY-DEFAULT}, and the default-deny tail chain with the local-pods set (≥v2.10,
 * D1).
 */
final class StaticChains {
  private StaticChains() {}

  static final String ACCEPT_COMMENT =
      "KUBE-ROUTER rule to explicitly ACCEPT traffic that comply to network policies";
  static final List<String> BUILTINS = List.of("INPUT", "FORWARD", "OUTPUT");

  /** Rule 1 of each built-in chain: the jump kube-router uses, with its exact comment. */
  static String entryJump(String builtin) {
    return rule()
        .comment(KubeRouterNames.entryJumpComment(builtin))
        .jump(KubeRouterNames.entryChain(builtin));
  }

  /** The K3s fork's final verdict, after kube-proxy's rules in each built-in chain. */
  static String acceptMarked() {
    return rule().comment(ACCEPT_COMMENT).match(markMatch(false, MARK_OK)).jump("ACCEPT");
  }

  static String markMatch(boolean negate, String mark) {
    return "-m mark " + (negate ? "! " : "") + "--mark " + mark + "/" + mark;
  }

  static String reject(IpFamily f) {
    return "REJECT --reject-with " + (f == IpFamily.IPV6 ? "icmp6" : "icmp") + "-port-unreachable";
  }

  /** Built-in rules, and the head of KUBE-ROUTER-INPUT (before the per-pod jumps). */
  static void head(NetpolNode node, TableBuilder t) {
    for (String b : BUILTINS) {
      t.chain(b).add(entryJump(b));
      t.chain(b).add(acceptMarked());
      t.chain(KubeRouterNames.entryChain(b));
    }
    List<String> input = t.chain(INPUT_CHAIN);
    List<String> services = node.serviceCidrs(t.family);
    for (int i = 0; i < services.size(); i++) {
      String c = "allow traffic to " + (i == 0 ? "primary" : "secondary") + " cluster IP range";
      String uuid =
          KubeRouterNames.ruleUuid(
              INPUT_CHAIN,
              List.of("-m", "comment", "--comment", c, "-d", services.get(i), "-j", "RETURN"));
      input.add(rule().dst(services.get(i)).comment(c + " - " + uuid).jump("RETURN"));
    }
    if (node.nodePortRange() != null) {
      for (String proto : List.of("tcp", "udp", "sctp")) {
        String c = "allow LOCAL " + proto.toUpperCase(Locale.ROOT) + " traffic to node ports";
        List<String> spec =
            List.of(
                "-p",
                proto,
                "-m",
                "comment",
                "--comment",
                c,
                "-m",
                "addrtype",
                "--dst-type",
                "LOCAL",
                "-m",
                "multiport",
                "--dports",
                node.nodePortRange(),
                "-j",
                "RETURN");
        String uuid = KubeRouterNames.ruleUuid(INPUT_CHAIN, spec);
        input.add(
            rule()
                .proto(proto)
                .comment(c + " - " + uuid)
                .match("-m addrtype --dst-type LOCAL")
                .match("-m multiport --dports " + node.nodePortRange())
                .jump("RETURN"));
      }
    }
  }

  /** The tail jump of each entry chain, the static chains and the local-pods set. */
  static void tail(NodeRuleset n, TableBuilder t) {
    tail(n.node(), n.localPods(t.family).stream().map(p -> p.ip(t.family)).toList(), t);
  }

  /** As {@link #tail(NodeRuleset, TableBuilder)}, from the node and its local pod IPs. */
  static void tail(NetpolNode node, java.util.Collection<String> localIps, TableBuilder t) {
    IpFamily f = t.family;
    for (String b : BUILTINS) {
      t.chain(KubeRouterNames.entryChain(b))
          .add(rule().comment("default-deny for unprogrammed pods").jump(TAIL_CHAIN));
    }
    t.chain(DEFAULT_CHAIN)
        .add(
            rule()
                .comment("rule to mark traffic matching a network policy")
                .jump("MARK --set-xmark " + MARK_ALLOWED + "/" + MARK_ALLOWED));
    common(t);
    String localPods = Names.localPodsSet(f);
    t.set(localPods, TableBuilder.HASH_IP, localIps);
    List<String> tail = t.chain(TAIL_CHAIN);
    // the node's own traffic is always allowed (spec), also to or from a pod not yet programmed
    tail.add(
        rule().comment("from local node").match("-m addrtype --src-type LOCAL").jump("RETURN"));
    String why = "reject unprogrammed local pod (default-deny)";
    for (String cidr : node.podCidrs(f)) {
      tail.add(
          rule()
              .src(cidr)
              .comment(why)
              .match("-m set ! --match-set " + localPods + " src")
              .jump(reject(f)));
      tail.add(
          rule()
              .dst(cidr)
              .comment(why)
              .match("-m addrtype ! --dst-type LOCAL") // the bridge's own address in the CIDR
              .match("-m set ! --match-set " + localPods + " dst")
              .jump(reject(f)));
    }
  }

  private static void common(TableBuilder t) {
    List<String> c = t.chain(COMMON_CHAIN);
    c.add(
        rule()
            .comment("rule to drop invalid state for pod")
            .match("-m conntrack --ctstate INVALID")
            .jump("DROP"));
    c.add(
        rule()
            .comment("rule for stateful firewall for pod")
            .match("-m conntrack --ctstate RELATED,ESTABLISHED")
            .jump("ACCEPT"));
    boolean v6 = t.family == IpFamily.IPV6;
    String proto = v6 ? "ipv6-icmp" : "icmp";
    String match = v6 ? "-m icmp6 --icmpv6-type " : "-m icmp --icmp-type ";
    // numbers, not names: iptables-save prints numbers, and a saved table must equal the render
    List<String[]> types =
        v6
            ? List.of(
                new String[] {"128", "allow icmp echo requests"},
                new String[] {"1", "allow icmp destination unreachable messages"},
                new String[] {"3", "allow icmp time exceeded messages"},
                new String[] {"135", "allow icmp neighbor solicitation messages"},
                new String[] {"136", "allow icmp neighbor advertisement messages"},
                new String[] {"129", "allow icmp echo reply messages"})
            : List.of(
                new String[] {"8", "allow icmp echo requests"},
                new String[] {"3", "allow icmp destination unreachable messages"},
                new String[] {"11", "allow icmp time exceeded messages"});
    for (String[] type : types) {
      c.add(rule().proto(proto).comment(type[1]).match(match + type[0]).jump("ACCEPT"));
    }
  }
}
