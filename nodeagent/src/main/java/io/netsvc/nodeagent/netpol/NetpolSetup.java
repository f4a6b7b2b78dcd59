package io.netsvc.nodeagent.netpol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * How a node agent enforces NetworkPolicies: its dataplane (kernel, network namespace or memory),
 * the node's pod CIDRs (for the "not yet programmed" reject), the blocking executor and how often
 * drift is checked; applies and repairs are counted in {@code metrics}.
 */
public record NetpolSetup(
    NetpolDataplane dataplane,
    List<String> podCidrs,
    Executor blocking,
    Duration verifyEvery,
    NetpolMetrics metrics) {}
