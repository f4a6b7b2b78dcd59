package io.netsvc.k8s.records;

import java.util.List;

/**
 * A svclb DaemonSet as the API holds it: the Service it serves ({@code ns/name} from its {@code
 * svccontroller.k3s.cattle.io/svcnamespace}/{@code svcname} labels), the nodes its node affinity
 * pins it to (the nodes whose ledger granted it the ports; empty = every eligible node, as K3s
 * renders it without affinity) and the host ports of its containers. What a restarted ledger
 * recovers its current holders from.
 */
public record SvclbDaemonSetInfo(
    String namespace,
    String name,
    String serviceKey,
    List<String> nodes,
    List<HostPortUse> hostPorts)
    implements CborSerializable {}
