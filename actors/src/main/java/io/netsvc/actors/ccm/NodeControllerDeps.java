package io.netsvc.actors.ccm;

import io.netsvc.k8s.CloudNodeApi;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.WatchSource;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the node singleton needs: the Node watch, sharding (to reach each NodeActor), the writer of
 * CoreDNS's {@code NodeHosts} (null where no Kubernetes client is), whether it keeps {@code
 * NodeHosts} (off with {@code --disable=coredns}) in which namespace, how often it re-checks it,
 * and how long a failure waits.
 */
public record NodeControllerDeps(
    WatchSource<WatchHandler<NodeInfo>> source,
    ClusterSharding sharding,
    CloudNodeApi api,
    boolean nodeHosts,
    String corednsNamespace,
    Duration hostsResync,
    Duration retryBackoff) {}
