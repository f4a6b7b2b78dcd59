package io.netsvc.nodeagent.netpol;

import java.time.Duration;

/**
 * When a node agent's periodic checks first fall due: at a point of the interval that depends on
 * the node's name, so agents that start together (a rolled-out DaemonSet, the simulated nodes of
 * {@code netsvc sim}, all in one process) do not all read and compare their rulesets at the same
 * moment; and a node's consistency check half a drift-check interval after its drift check, so the
 * two do not fall due together (one would find the other's repair or held check running and skip
 * its turn, and the two would share the node's CPU). The intervals stay as configured; only the
 * first run moves.
 */
final class CheckPhases {
  private CheckPhases() {}

  /** The first drift check: within one interval, at the node's point of it. */
  static Duration firstVerify(String node, Duration verifyEvery) {
    long every = Math.max(1, verifyEvery.toMillis());
    return Duration.ofMillis(1 + Math.floorMod(mix(node.hashCode()), every));
  }

  /** The first consistency check: half a drift-check interval after a drift check. */
  static Duration firstCheck(String node, Duration verifyEvery, Duration checkEvery) {
    long every = Math.max(1, checkEvery.toMillis());
    long at = firstVerify(node, verifyEvery).toMillis() + verifyEvery.toMillis() / 2;
    return Duration.ofMillis(1 + Math.floorMod(at - 1, every));
  }

  // names that differ in one character (node-1, node-2, ...) hash to neighbouring values: spread
  private static long mix(int h) {
    long x = h & 0xffffffffL;
    x ^= x >>> 16;
    x *= 0x85ebca6bL;
    x ^= x >>> 13;
    x *= 0xc2b2ae35L;
    x ^= x >>> 16;
    return x & 0x7fffffffffffL;
  }
}
