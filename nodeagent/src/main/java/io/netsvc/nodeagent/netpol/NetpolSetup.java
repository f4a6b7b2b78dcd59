package io.netsvc.nodeagent.netpol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * How a node agent enforces NetworkPolicies: its dataplane (kernel, network namespace or memory),
 * the node's pod CIDRs (for the "not yet programmed" reject), the blocking executor, how often
 * drift is checked and how often the patched ruleset is compared with a fresh render; applies and
 * repairs are counted in {@code metrics}.
 */
public record NetpolSetup(
    NetpolDataplane dataplane,
    List<String> podCidrs,
    Executor blocking,
    Duration verifyEvery,
    NetpolMetrics metrics,
    Duration consistencyEvery) {

  /** The default interval of the consistency check ({@code netsvc.netpol-consistency-interval}). */
  public static final Duration CONSISTENCY_EVERY = Duration.ofMinutes(5);

  /** With the default consistency interval. */
  public NetpolSetup(
      NetpolDataplane dataplane,
      List<String> podCidrs,
      Executor blocking,
      Duration verifyEvery,
      NetpolMetrics metrics) {
    this(dataplane, podCidrs, blocking, verifyEvery, metrics, CONSISTENCY_EVERY);
  }
}
