package io.netsvc.cluster;

import io.netsvc.nodeagent.netpol.NetpolDataplane;
import java.util.List;
import java.util.function.Function;

/**
 * How the agents of a member enforce NetworkPolicies: a dataplane per node (kernel, network
 * namespace or memory) and the node's pod CIDRs.
 */
public record AgentDataplanes(
    Function<String, NetpolDataplane> dataplane, Function<String, List<String>> podCidrs) {}
