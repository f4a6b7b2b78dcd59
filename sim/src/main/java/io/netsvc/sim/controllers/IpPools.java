package io.netsvc.sim.controllers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Address allocation of the sim: ClusterIPs from 10.43.0.0/16 and fd00:43::/112 (K3s's service
 * CIDR), NodePorts from 30000-32767, pod IPs per node from a /20 of 10.128.0.0/9 (and
 * fd00:42:&lt;node&gt;::/64 on dual-stack nodes) — roomier than K3s's /24 so 1,000 svclb pods fit a
 * node.
 */
final class IpPools {
  private final Set<String> clusterIPs = new HashSet<>();
  private final Set<Integer> nodePorts = new HashSet<>();
  private final Map<String, Integer> podCounters = new HashMap<>();
  private int nextV4 = 10;
  private int nextV6 = 10;
  private int nextPort = 30000;

  void reserveClusterIP(String ip) {
    clusterIPs.add(ip);
  }

  void reserveNodePort(int port) {
    nodePorts.add(port);
  }

  String clusterIP(boolean v6) {
    while (true) {
      String ip =
          v6
              ? "fd00:43::" + Integer.toHexString(nextV6++)
              : "10.43." + (nextV4 / 256) + "." + (nextV4++ % 256);
      if (!ip.endsWith(".0") && !ip.endsWith(".255") && clusterIPs.add(ip)) return ip;
    }
  }

  int nodePort() {
    for (int i = 0; i < 2768; i++) {
      int p = nextPort;
      nextPort = nextPort == 32767 ? 30000 : nextPort + 1;
      if (nodePorts.add(p)) return p;
    }
    throw new IllegalStateException("no NodePort left in 30000-32767");
  }

  /** The next pod IPv4 (and IPv6 when {@code dualStack}) on node number {@code nodeIndex}. */
  String[] podIPs(String node, int nodeIndex, boolean dualStack) {
    int n = podCounters.merge(node, 1, Integer::sum) + 1;
    long base = (10L << 24) | (128L << 16) | ((long) nodeIndex << 12);
    long v4 = base + (n % 4094) + 1;
    String ip4 =
        (v4 >> 24 & 255) + "." + (v4 >> 16 & 255) + "." + (v4 >> 8 & 255) + "." + (v4 & 255);
    if (!dualStack) return new String[] {ip4};
    return new String[] {
      ip4, "fd00:42:" + Integer.toHexString(nodeIndex) + "::" + Integer.toHexString(n + 1)
    };
  }
}
