package io.netsvc.nodeagent.netpol.lab;

import io.netsvc.nodeagent.netpol.backend.BackendException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ip} commands that wire the lab: a node's uplink into the fabric bridge, routes between
 * nodes, a pod's veth into its node. Every word passed here is a lab name or an address the lab
 * parsed before, so splitting on blanks is safe.
 */
final class LabWiring {
  /** Pods reach their node over IPv6 through this link-local gateway on the node side. */
  private static final String V6_GATEWAY = "fe80::1";

  /** A node as the wiring needs it; the IPv6 pair is null for an IPv4-only node. */
  record NodeAddr(String netns, String ipv4, String podCidrV4, String ipv6, String podCidrV6) {}

  private final String ip;

  LabWiring(String ip) {
    this.ip = ip;
  }

  void fabric(String fabric) throws BackendException {
    in(fabric, "link set lo up");
    in(fabric, "link add br0 type bridge");
    in(fabric, "link set br0 up");
  }

  /** The node's eth0 on the fabric bridge, with its addresses as /32 and /128. */
  void node(String fabric, NodeAddr node) throws BackendException {
    String netns = node.netns();
    String uplink = LabNames.link('n', netns);
    in(netns, "link set lo up");
    in(netns, "link add eth0 type veth peer name " + uplink + " netns " + fabric);
    in(fabric, "link set " + uplink + " master br0 up");
    in(netns, "addr add " + node.ipv4() + "/32 dev eth0");
    if (node.ipv6() != null) {
      in(netns, "addr add " + node.ipv6() + "/128 dev eth0 nodad");
    }
    in(netns, "link set eth0 up");
  }

  /**
   * A veth from the host's namespace into the fabric bridge: {@code hostIPv4} as /32 on the host
   * end ({@code hostLink}) with a route to each node in {@code nodes}, and a route back in each
   * node. Deleting the fabric namespace deletes both ends.
   */
  void host(String fabric, String hostLink, String hostIPv4, List<NodeAddr> nodes)
      throws BackendException {
    String fabricEnd = LabNames.link('f', hostLink);
    run("link add " + hostLink + " type veth peer name " + fabricEnd + " netns " + fabric);
    in(fabric, "link set " + fabricEnd + " master br0 up");
    run("addr add " + hostIPv4 + "/32 dev " + hostLink);
    run("link set " + hostLink + " up");
    for (NodeAddr node : nodes) {
      run("route replace " + node.ipv4() + "/32 dev " + hostLink + " src " + hostIPv4);
      in(node.netns(), "route replace " + hostIPv4 + "/32 dev eth0 scope link");
    }
  }

  /** In {@code from}: {@code to}'s address on the fabric, and its pod CIDR via that address. */
  void route(NodeAddr from, NodeAddr to) throws BackendException {
    in(from.netns(), "route replace " + to.ipv4() + "/32 dev eth0 scope link");
    in(from.netns(), "route replace " + to.podCidrV4() + " via " + to.ipv4() + " dev eth0");
    if (from.ipv6() != null && to.ipv6() != null) {
      in(from.netns(), "-6 route replace " + to.ipv6() + "/128 dev eth0");
      in(from.netns(), "-6 route replace " + to.podCidrV6() + " via " + to.ipv6() + " dev eth0");
    }
  }

  /**
   * The pod's eth0 paired with a link in its node: pod addresses as /32 and /128, default routes
   * via the node, and host routes to the pod in the node.
   */
  void pod(String netns, NodeAddr host, String ipv4, String ipv6) throws BackendException {
    String hostLink = LabNames.link('p', netns);
    String hostNs = host.netns();
    in(netns, "link set lo up");
    in(netns, "link add eth0 type veth peer name " + hostLink + " netns " + hostNs);
    in(netns, "addr add " + ipv4 + "/32 dev eth0");
    if (ipv6 != null) {
      in(netns, "addr add " + ipv6 + "/128 dev eth0 nodad");
      in(hostNs, "addr add " + V6_GATEWAY + "/64 dev " + hostLink + " nodad");
    }
    in(netns, "link set eth0 up");
    in(hostNs, "link set " + hostLink + " up");
    in(netns, "route add " + host.ipv4() + "/32 dev eth0 scope link");
    in(netns, "route add default via " + host.ipv4() + " dev eth0");
    in(hostNs, "route add " + ipv4 + "/32 dev " + hostLink + " scope link");
    if (ipv6 != null) {
      in(netns, "-6 route add default via " + V6_GATEWAY + " dev eth0");
      in(hostNs, "-6 route add " + ipv6 + "/128 dev " + hostLink);
    }
  }

  /** In the host's namespace. */
  private void run(String words) throws BackendException {
    NetnsTools.run(ip, words.split(" "));
  }

  private void in(String netns, String words) throws BackendException {
    List<String> args = new ArrayList<>(List.of("-n", netns));
    args.addAll(List.of(words.split(" ")));
    NetnsTools.run(ip, args.toArray(String[]::new));
  }
}
